package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared fixtures: memory namespaces, small formats, deterministic content. */
final class TestStores
{
    static final long MIB = 1 << 20;
    /** A geometry with a 1 MiB journal so tests reach checkpoints quickly. */
    static final FormatOptions SMALL_JOURNAL = FormatOptions.DEFAULT.withJournalBytes(MIB);

    private TestStores()
    {
    }

    static List<MemoryNamespace> memory(final int count, final long eachBytes)
    {
        final List<MemoryNamespace> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            list.add(MemoryNamespace.allocate("t" + i, eachBytes));
        }
        return list;
    }

    static List<MemoryNamespace> formatted(final int count, final long eachBytes, final FormatOptions options)
    {
        final List<MemoryNamespace> list = memory(count, eachBytes);
        ObjectStore.format(list, options);
        return list;
    }

    static ObjectStore open(final List<? extends Namespace> namespaces)
    {
        return ObjectStore.open(namespaces, StoreOptions.DEFAULT);
    }

    static void closeAll(final List<? extends Namespace> namespaces)
    {
        for (final Namespace ns : namespaces)
        {
            ns.close();
        }
    }

    /**
     * @param seed content identity.
     * @param size bytes.
     * @return deterministic pseudo-random content.
     */
    static byte[] content(final long seed, final int size)
    {
        final byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /**
     * @param seed content identity.
     * @return metadata derived from {@code seed}, so a check can tell which put's metadata survived.
     */
    static ObjectMetadata metadata(final long seed)
    {
        return new ObjectMetadata("application/x-test-" + Math.floorMod(seed, 7), Map.of("seed", Long.toString(seed)));
    }

    /**
     * Checks that a store holding nothing uses only its checkpoint's space (no extent leaked).
     *
     * @param store   an emptied store.
     * @param context printed on failure.
     */
    static void assertOnlyCheckpointSpaceUsed(final ObjectStore store, final String context)
    {
        long checkpointBytes = 0;
        for (final Extent e : store.checkpointRef().extents())
        {
            checkpointBytes += e.lengthBytes();
        }
        assertEquals(checkpointBytes, store.space().usedBytes(), context + ": space used with nothing stored");
    }
}
