package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ObjectStore#openObject(byte[], ObjectReadHandle)} on real O_DIRECT files: a closed handle
 * is re-armed for the next key only once no read holds it (a retained read keeps its old pin and
 * the open gets a new handle); the re-armed handle reads the new key's version, never the old
 * one's, and pins it like a new handle (an overwrite and a store filled to the brim afterwards do
 * not touch its bytes); an open handle is never taken over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectReadHandleReuseTest
{
    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldReuseAClosedHandleOnlyOnceNoReadHoldsIt() throws Exception
    {
        DataDirectory.format(dir, 48L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final byte[] a = content(1, 3 * (int)MIB + 7);
        final byte[] b = content(2, 5000);
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            store.put("a", a, ObjectMetadata.NONE);
            store.put("bb", b, ObjectMetadata.NONE);
            final ObjectReadHandle first = store.openObject(utf8("a"), null);
            assertTrue(first.tryRetain(), "a read in flight");
            first.close();
            final ObjectReadHandle second = store.openObject(utf8("bb"), first);
            assertNotSame(first, second, "a handle a read still holds must not be re-armed");
            assertEquals("bb", second.record().key());
            assertFalse(first.tryRetain(), "the closed handle takes no new reads");
            first.release();
            assertArrayEquals(b, second.readAllBytes());

            final ObjectReadHandle open = store.openObject(utf8("a"), second);
            assertNotSame(second, open, "an open handle must not be taken over");
            assertArrayEquals(b, second.readAllBytes(), "the open handle still reads its own version");
            second.close();
            open.close();

            final ObjectReadHandle again = store.openObject(utf8("a"), first);
            assertSame(first, again, "a closed handle no read holds is re-armed");
            assertEquals("a", again.record().key());
            // The re-armed handle pins its new version: overwrite it and fill every free block.
            store.put("a", content(3, 3 * (int)MIB + 7), ObjectMetadata.NONE);
            assertTrue(ReplaceMetadataTest.fillUntilFull(store) > 0);
            assertArrayEquals(a, again.readAllBytes(), "the pinned version's extents were reused");
            again.close();
            assertThrows(IllegalStateException.class, again::readAllBytes);
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
                () -> store.openObject(utf8("missing"), again)).code());
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
    }

    private static byte[] utf8(final String key)
    {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
