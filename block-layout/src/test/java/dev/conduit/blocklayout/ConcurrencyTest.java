package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers replace and delete while readers stream slowly through pinned versions: every read
 * returns exactly one version's bytes (named by its "seed" metadata), group commit batches
 * concurrent puts, and the store is consistent afterwards.
 */
class ConcurrencyTest
{
    private static final int KEYS = 6;
    private static final int WRITERS = 4;
    private static final int READERS = 4;
    private static final int OPS_PER_WRITER = 60;

    private static ObjectMetadata seedMeta(final long seed)
    {
        return new ObjectMetadata("", Map.of("seed", Long.toString(seed)));
    }

    private static int sizeFor(final long seed)
    {
        return (int)(seed % 3 == 0 ? 2 * MIB + 12345 : 1000 + seed % 70_000);
    }

    private static void checkVersion(final ObjectReadHandle h, final boolean slow) throws InterruptedException
    {
        final ObjectRecord r = h.record();
        final long seed = Long.parseLong(r.userMetadata().get("seed"));
        final byte[] expected = TestStores.content(seed, sizeFor(seed));
        assertEquals(expected.length, r.sizeBytes());
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = arena.allocate(r.chunkSizeBytes(), 4096);
            for (int i = 0; i < r.chunkCount(); i++)
            {
                h.readChunk(i, chunk);
                final int from = (int)((long)i << r.chunkShift());
                final byte[] got = chunk.asSlice(0, r.chunkLengthBytes(i)).toArray(ValueLayout.JAVA_BYTE);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, from, from + got.length), got, r.key() + " chunk " + i);
                if (slow)
                {
                    Thread.sleep(2);
                }
            }
        }
    }

    @Test
    void shouldServeWholeVersionsWhileWritersReplaceAndDelete()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(2, 48 * MIB, TestStores.SMALL_JOURNAL);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () ->
        {
            final AtomicLong reads = new AtomicLong();
            try (ObjectStore store = TestStores.open(ns); ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS))
            {
                final List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++)
                {
                    final int id = w;
                    writers.add(pool.submit(() ->
                    {
                        final SplittableRandom random = new SplittableRandom(id);
                        for (int i = 0; i < OPS_PER_WRITER; i++)
                        {
                            final String key = "k" + random.nextInt(KEYS);
                            if (random.nextInt(8) == 0)
                            {
                                store.delete(key);
                            }
                            else
                            {
                                final long seed = id * 1_000_000L + i;
                                store.put(key, TestStores.content(seed, sizeFor(seed)), seedMeta(seed));
                            }
                        }
                        return null;
                    }));
                }
                final List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < READERS; r++)
                {
                    final int id = r;
                    readers.add(pool.submit(() ->
                    {
                        final SplittableRandom random = new SplittableRandom(100 + id);
                        while (!writers.stream().allMatch(Future::isDone))
                        {
                            try (ObjectReadHandle h = store.openObject("k" + random.nextInt(KEYS)))
                            {
                                checkVersion(h, id % 2 == 0);
                                reads.incrementAndGet();
                            }
                            catch (final ConduitException e)
                            {
                                assertEquals(ErrorCode.NOT_FOUND, e.code());
                            }
                        }
                        return null;
                    }));
                }
                for (final Future<?> f : writers)
                {
                    f.get();
                }
                for (final Future<?> f : readers)
                {
                    f.get();
                }
                assertTrue(reads.get() > 0);
                assertTrue(store.counter(StoreCounter.JOURNAL_RECORDS) >= store.counter(StoreCounter.JOURNAL_BATCHES));
            }
            try (ObjectStore store = TestStores.open(ns))
            {
                for (final ObjectRecord r : store.list(ListRequest.of("", 100)).objects())
                {
                    try (ObjectReadHandle h = store.openObject(r.key()))
                    {
                        checkVersion(h, false);
                    }
                }
                final FsckReport report = store.fsck(false, ProgressListener.NONE);
                assertTrue(report.clean(), report.problems().toString());
            }
        });
        TestStores.closeAll(ns);
    }
}
