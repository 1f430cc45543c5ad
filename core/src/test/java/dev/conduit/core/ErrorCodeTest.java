package dev.conduit.core;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCodeTest
{
    /**
     * Ids are a public contract (scripts, metrics, IoResult): this table pins a sample of them so a
     * reordering or renumbering of the enum fails here rather than in someone's dashboard.
     */
    private static final Map<ErrorCode, Integer> PINNED = Map.of(
        ErrorCode.INVALID_ARGUMENT, 1,
        ErrorCode.NOT_FOUND, 2,
        ErrorCode.TRY_AGAIN, 30,
        ErrorCode.CANCELLED, 33,
        ErrorCode.IO_ERROR, 50,
        ErrorCode.CORRUPT_EXTENT, 51,
        ErrorCode.NO_SPACE, 70,
        ErrorCode.SHUTDOWN, 74,
        ErrorCode.STORE_FAILED, 100,
        ErrorCode.INTERNAL_ERROR, 102);

    @Test
    void shouldKeepPinnedIds()
    {
        PINNED.forEach((code, id) -> assertEquals(id.intValue(), code.id(), code.name()));
    }

    @Test
    void shouldGiveEveryCodeAUniqueIdInItsCategoryRange()
    {
        final Set<Integer> ids = new HashSet<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            assertTrue(ids.add(code.id()), "duplicate id " + code.id());
            assertSame(code, ErrorCode.ofId(code.id()));
            assertTrue(!code.meaning().isBlank(), code.name());
            final int id = code.id();
            final ErrorCategory expected = id < 30 ? ErrorCategory.CLIENT : id < 50 ? ErrorCategory.TRANSIENT
                : id < 70 ? ErrorCategory.MEDIA : id < 100 ? ErrorCategory.UNAVAILABLE : ErrorCategory.FATAL;
            assertEquals(expected, code.category(), code.name() + " id " + id + " lies in another category's range");
        }
        assertNull(ErrorCode.ofId(0));
        assertNull(ErrorCode.ofId(127));
    }

    @Test
    void shouldCarryNativeDetailBesideTheCode()
    {
        final ConduitException plain = new ConduitException(ErrorCode.NO_SPACE, "full");
        assertEquals(ErrorDomain.NONE, plain.domain());
        assertEquals("NO_SPACE", plain.nativeName());
        assertEquals(ErrorCategory.UNAVAILABLE, plain.category());

        final ConduitException errno = new ConduitException(ErrorCode.IO_ERROR, ErrorDomain.ERRNO, 5, "EIO", "pread failed", null);
        assertEquals(ErrorCode.IO_ERROR, errno.code());
        assertEquals(ErrorDomain.ERRNO, errno.domain());
        assertEquals(5, errno.nativeCode());
        assertEquals("EIO", errno.nativeName());
    }
}
