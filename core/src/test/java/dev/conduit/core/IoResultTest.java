package dev.conduit.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoResultTest
{
    private static final int EPERM = 1;
    private static final int ESHUTDOWN = 108;

    @Test
    void shouldKeepAKernelErrnoAsItIs()
    {
        assertEquals(-5L, IoResult.errno(5), "an io_uring CQE's -errno must need no conversion");
        assertEquals(ErrorDomain.ERRNO, IoResult.domain(-5L));
        assertEquals(5, IoResult.code(-5L));
        assertNull(IoResult.conduitCode(-5L));
    }

    @Test
    void shouldNeverCollideConduitOutcomesWithErrnos()
    {
        for (final ErrorCode code : ErrorCode.values())
        {
            final long result = IoResult.of(code);
            assertTrue(IoResult.isFailure(result));
            assertEquals(ErrorDomain.CONDUIT, IoResult.domain(result));
            assertEquals(code, IoResult.conduitCode(result));
            for (int errno = 1; errno < 4096; errno++)
            {
                assertNotEquals(-errno, result);
            }
        }
        assertNotEquals(-EPERM, IoResult.of(ErrorCode.RING_FULL), "the old REJECTED = -1 was -EPERM");
        assertNotEquals(-ESHUTDOWN, IoResult.of(ErrorCode.SHUTDOWN), "the old magic -108");
    }

    @Test
    void shouldRoundTripEveryDomain()
    {
        for (final ErrorDomain domain : ErrorDomain.values())
        {
            for (final int code : new int[] {1, 2, 719, 0x7FFF_FFFF, 0xFFFF_FFFF})
            {
                if (domain == ErrorDomain.ERRNO && code <= 0)
                {
                    continue;   // an errno is positive: refused, see shouldRefuseToDecodeASuccess
                }
                final long result = IoResult.failure(domain, code);
                assertTrue(result < 0);
                assertEquals(domain, IoResult.domain(result));
                assertEquals(code, IoResult.code(result));
            }
        }
    }

    @Test
    void shouldRefuseToDecodeASuccess()
    {
        assertFalse(IoResult.isFailure(0));
        assertThrows(IllegalArgumentException.class, () -> IoResult.domain(4096));
        assertThrows(IllegalArgumentException.class, () -> IoResult.errno(0));
        assertThrows(IllegalArgumentException.class, () -> IoResult.errno(-5));
    }
}
