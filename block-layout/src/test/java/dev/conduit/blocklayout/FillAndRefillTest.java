package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fill a store until it refuses with NO_SPACE, check it stays usable, delete, write again, reopen. */
class FillAndRefillTest
{
    // Under target/: the file-namespace variant needs O_DIRECT, which /tmp (tmpfs) may lack.
    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    private static final int[] SIZES = {3000, 70_000, 1_500_000, 100, 300_000};

    private static List<String> fill(final ObjectStore store, final String prefix)
    {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; ; i++)
        {
            final String key = prefix + i;
            try
            {
                store.put(key, content(i, SIZES[i % SIZES.length]), ObjectMetadata.NONE);
                keys.add(key);
            }
            catch (final ConduitException e)
            {
                assertEquals(ErrorCode.NO_SPACE, e.code(), e.getMessage());
                if (SIZES[i % SIZES.length] <= 4096)
                {
                    return keys;
                }
            }
        }
    }

    private static void verify(final ObjectStore store, final List<String> keys, final String prefix)
    {
        for (final String key : keys)
        {
            final int i = Integer.parseInt(key.substring(prefix.length()));
            assertArrayEquals(content(i, SIZES[i % SIZES.length]), store.getBytes(key), key);
        }
    }

    private static void fillDeleteRefill(final ObjectStore first, final ReopenableStore reopen)
    {
        final List<String> keys;
        final long capacity;
        try (ObjectStore store = first)
        {
            keys = fill(store, "f/");
            capacity = store.space().capacityBytes();
            assertTrue(store.space().usedBytes() > capacity * 8 / 10, "filled to " + store.space().usedBytes() + " of " + capacity);
            assertTrue(store.counter(StoreCounter.NO_SPACE_ERRORS) > 0);
            verify(store, keys, "f/");
            for (int i = 0; i < keys.size(); i += 2)
            {
                assertTrue(store.delete(keys.get(i)));
            }
            final List<String> refilled = fill(store, "r/");
            assertTrue(refilled.size() > keys.size() / 4, "deleted space is reusable: " + refilled.size());
            verify(store, refilled, "r/");
        }
        try (ObjectStore store = reopen.open())
        {
            final List<String> kept = new ArrayList<>();
            for (int i = 1; i < keys.size(); i += 2)
            {
                kept.add(keys.get(i));
            }
            verify(store, kept, "f/");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
            store.delete(kept.getFirst());
            store.put("after-reopen", content(1, 5000), ObjectMetadata.NONE);
        }
    }

    /** Opens the same store again. */
    @FunctionalInterface
    private interface ReopenableStore
    {
        ObjectStore open();
    }

    @Test
    void shouldFillDeleteAndRefillOnMemoryNamespaces()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(2, 12 * MIB, TestStores.SMALL_JOURNAL);
        fillDeleteRefill(TestStores.open(ns), () -> TestStores.open(ns));
        TestStores.closeAll(ns);
    }

    @Test
    void shouldFillDeleteAndRefillOnFileNamespaces()
    {
        DataDirectory.format(dir, 24 * MIB, 2, TestStores.SMALL_JOURNAL);
        fillDeleteRefill(DataDirectory.open(dir, StoreOptions.DEFAULT), () -> DataDirectory.open(dir, StoreOptions.DEFAULT));
    }
}
