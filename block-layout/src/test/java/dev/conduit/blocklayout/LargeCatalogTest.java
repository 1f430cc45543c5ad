package dev.conduit.blocklayout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalog far larger than the journal: concurrent writers group-commit {@code KEYS} empty objects
 * (the smallest records, so the catalog is as many keys as the heap allows), the store checkpoints
 * whenever the journal fills, and the final checkpoint must be larger than the journal region. A
 * reopen must load every key; its time and the heap the catalog holds are measured and the heap
 * bounded per key (CatalogIndex keeps no per-object Java objects).
 *
 * <p>Keys: {@code -Dconduit.catalog.keys=N} (default 100,000; the 1,000,000-key run is
 * {@code -Dconduit.catalog.keys=1000000}). Namespaces are in memory, so the figures are the CPU
 * cost of building and loading the catalog, not device time.
 */
class LargeCatalogTest
{
    private static final int KEYS = Integer.getInteger("conduit.catalog.keys", 100_000);
    private static final int WRITERS = 16;
    /** CatalogIndex documents under 200 bytes per small object; the bound leaves room for measurement noise. */
    private static final long HEAP_BYTES_PER_KEY_BOUND = 300;
    private static final long MIB = 1 << 20;

    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS)
    void shouldReopenACatalogWhoseCheckpointIsLargerThanTheJournal() throws Exception
    {
        final long journalBytes = Math.clamp(KEYS * 32L / MIB * MIB, 2 * MIB, 64 * MIB);
        final long capacityBytes = (Math.max(96 * MIB, KEYS * 512L) / MIB + 1) * MIB + journalBytes;
        final List<MemoryNamespace> ns = TestStores.formatted(1, capacityBytes, FormatOptions.DEFAULT.withJournalBytes(journalBytes));
        final long buildStartNs = System.nanoTime();
        final long checkpointsWhileBuilding;
        try (ObjectStore store = TestStores.open(ns))
        {
            build(store);
            checkpointsWhileBuilding = store.counter(StoreCounter.CHECKPOINTS);
        }
        final long buildMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - buildStartNs);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final long heapBefore = usedHeapAfterGc(memory);
        final long openStartNs = System.nanoTime();
        try (ObjectStore store = TestStores.open(ns))
        {
            final long reopenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStartNs);
            final long heapBytes = usedHeapAfterGc(memory) - heapBefore;
            final long checkpointBytes = store.checkpointRef().lengthBytes();
            System.out.printf("LargeCatalogTest: %d keys built in %d ms by %d writers (%d checkpoints while building); "
                    + "checkpoint %d bytes vs journal region %d bytes (%.1fx); reopen %d ms; heap held after reopen %d bytes "
                    + "(%d per key)%n",
                KEYS, buildMs, WRITERS, checkpointsWhileBuilding, checkpointBytes, journalBytes, (double)checkpointBytes / journalBytes,
                reopenMs, heapBytes, heapBytes / KEYS);
            assertEquals(KEYS, store.info().objectCount(), "every key survives the reopen");
            assertTrue(checkpointBytes > journalBytes, "checkpoint " + checkpointBytes + " vs journal " + journalBytes);
            assertTrue(heapBytes / KEYS < HEAP_BYTES_PER_KEY_BOUND, "heap per key: " + heapBytes / KEYS);
            final SplittableRandom random = new SplittableRandom(KEYS);
            for (int i = 0; i < 1000; i++)
            {
                final int k = random.nextInt(KEYS);
                assertTrue(store.find(key(k)).isPresent(), key(k));
            }
            final ListPage first = store.list(ListRequest.of("cat/", 10));
            assertEquals(key(0), first.objects().getFirst().key());
        }
        TestStores.closeAll(ns);
    }

    private static void build(final ObjectStore store) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try
        {
            final List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                final int writer = w;
                writers.add(pool.submit(() ->
                {
                    for (int k = writer; k < KEYS; k += WRITERS)
                    {
                        store.put(key(k), new byte[0], ObjectMetadata.NONE);
                    }
                }));
            }
            for (final Future<?> f : writers)
            {
                f.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static String key(final int k)
    {
        return String.format("cat/%08d", k);
    }

    private static long usedHeapAfterGc(final MemoryMXBean memory)
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
