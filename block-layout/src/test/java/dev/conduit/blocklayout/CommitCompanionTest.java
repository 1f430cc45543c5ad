package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link CommitCompanion}'s object is journaled in the same batch as the noted writes it
 * describes: published with them (with the versions they got), never for a write that did not
 * publish, and a companion that cannot be stored keeps the writes unpublished.
 */
@Timeout(120)
class CommitCompanionTest
{
    private List<MemoryNamespace> media;
    private ObjectStore store;

    @BeforeEach
    void setUp()
    {
        media = TestStores.formatted(2, 32L << 20, FormatOptions.DEFAULT);
        store = TestStores.open(media);
    }

    @AfterEach
    void tearDown()
    {
        store.close();
        TestStores.closeAll(media);
    }

    private static ObjectRecord notedPut(final ObjectStore s, final String key, final byte[] data, final Object note, final CommitCondition condition)
    {
        try (PutSession put = s.openPut(key, ObjectMetadata.NONE))
        {
            put.append(data, 0, data.length);
            return put.commit(PutSession.UNKNOWN_SIZE, null, condition, null, note);
        }
    }

    @Test
    void shouldPublishTheCompanionInTheSameJournalBatchAsTheNotedPut()
    {
        final LogCompanion log = new LogCompanion(store);
        store.attachCompanion(log);
        final long batchesBefore = store.counter(StoreCounter.JOURNAL_BATCHES);
        final ObjectRecord put = notedPut(store, "k1", content(1, 70_000), "n1", CommitCondition.NONE);
        assertEquals(batchesBefore + 1, store.counter(StoreCounter.JOURNAL_BATCHES), "one journal batch for the put and its companion");
        assertEquals(List.of("n1 k1 " + put.version()), LogCompanion.lines(store));
        assertArrayEquals(content(1, 70_000), store.getBytes("k1"));
        store.commitNotes(List.of("alone"));
        assertEquals(List.of("n1 k1 " + put.version(), "alone - -"), LogCompanion.lines(store));
        assertEquals(2, log.published);
    }

    @Test
    void shouldNotSealTheNoteOfAWriteItsConditionRefused()
    {
        final LogCompanion log = new LogCompanion(store);
        store.attachCompanion(log);
        notedPut(store, "k", content(2, 100), "first", CommitCondition.NONE);
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> notedPut(store, "k", content(3, 100), "second", CommitCondition.IF_ABSENT));
        assertEquals(ErrorCode.PRECONDITION_FAILED, refused.code());
        assertEquals(1, LogCompanion.lines(store).size(), "only the published write is in the log: " + LogCompanion.lines(store));
        assertArrayEquals(content(2, 100), store.getBytes("k"));
    }

    @Test
    void shouldPublishNothingWhenTheCompanionsObjectCannotBeStored()
    {
        final LogCompanion log = new LogCompanion(store);
        store.attachCompanion(log);
        // The log's next object already exists: the batch, noted write included, must fail whole.
        store.put(LogCompanion.PREFIX + "00000000", content(4, 10), ObjectMetadata.NONE);
        final ConduitException e = assertThrows(ConduitException.class, () -> notedPut(store, "lost", content(5, 5000), "n", CommitCondition.NONE));
        assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
        assertFalse(store.find("lost").isPresent());
        assertEquals(1, log.failed);
        store.delete(LogCompanion.PREFIX + "00000000");
        TestStores.assertOnlyCheckpointSpaceUsed(store, "after the failed batch");
        // The store goes on: the same note publishes now.
        notedPut(store, "kept", content(6, 5000), "n", CommitCondition.NONE);
        assertTrue(store.find("kept").isPresent());
    }

    @Test
    void shouldRefuseNotesOnTheirOwnWithoutACompanionAndPublishANotedPutUnnoted()
    {
        final ConduitException e = assertThrows(ConduitException.class, () -> store.commitNotes(List.of("x")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        notedPut(store, "k", content(7, 100), "n", CommitCondition.NONE);
        assertTrue(store.find("k").isPresent());
        assertTrue(LogCompanion.lines(store).isEmpty());
    }

    /** Waits (30 s at most) until every writer is parked in the group commit's queue: seen from its stack, not guessed from a sleep. */
    private static void awaitQueuedCommits(final List<Thread> writers, final int count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (queuedCommits(writers) < count && System.nanoTime() < deadlineNs)
        {
            Thread.yield();
        }
        assertEquals(count, queuedCommits(writers), "writers queued behind the held leader");
    }

    private static long queuedCommits(final List<Thread> writers)
    {
        return writers.stream()
            .filter(t -> t.getState() == Thread.State.WAITING)
            .filter(t -> Arrays.stream(t.getStackTrace()).anyMatch(
                f -> f.getClassName().equals(CommitPipeline.class.getName()) && f.getMethodName().equals("commit")))
            .count();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldSealEveryConcurrentNoteOnceInVersionOrderAndKeepTheLogAcrossReopen() throws Exception
    {
        store.attachCompanion(new LogCompanion(store));
        final int threads = 8;
        final int each = 40;
        final List<Thread> writers = new CopyOnWriteArrayList<>();
        final ExecutorService pool = Executors.newFixedThreadPool(threads, r ->
        {
            final Thread t = new Thread(r);
            writers.add(t);
            return t;
        });
        // A put whose rider holds the leader: every writer's first put queues behind it, so at least
        // those share a batch however the threads are scheduled afterwards.
        final CountDownLatch leading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CommitRider held = new CommitRider("r/hold", r ->
        {
            leading.countDown();
            awaitQuietly(release);
            return ObjectMetadata.NONE;
        }, null);
        final CompletableFuture<ObjectRecord> holder = CompletableFuture.supplyAsync(
            () -> notedPut(store, "hold", content(1, 100), held, CommitCondition.NONE));
        assertTrue(leading.await(30, TimeUnit.SECONDS));
        final long batchesBefore = store.counter(StoreCounter.JOURNAL_BATCHES);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                done.add(pool.submit(() ->
                {
                    for (int i = 0; i < each; i++)
                    {
                        if (i % 10 == 9)
                        {
                            store.commitNotes(List.of("alone-" + thread + "-" + i));
                        }
                        else if (i % 10 == 4)
                        {
                            // A write without a note shares batches with noted ones: published, and not in the log.
                            notedPut(store, "plain" + thread + "/" + i, content(thread * 1000 + i, 4096), null, CommitCondition.NONE);
                        }
                        else
                        {
                            notedPut(store, "t" + thread + "/" + i, content(thread * 1000 + i, 4096), "put-" + thread + "-" + i, CommitCondition.NONE);
                        }
                    }
                    return null;
                }));
            }
            awaitQueuedCommits(writers, threads);
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
            for (final Future<?> f : done)
            {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            release.countDown();
            pool.shutdownNow();
        }
        // The held put's batch, one shared by the eight first puts, then at most one per remaining write.
        assertTrue(store.counter(StoreCounter.JOURNAL_BATCHES) - batchesBefore <= 1 + 1 + threads * (each - 1),
            "the queued first writes shared a batch");
        store.close();
        store = TestStores.open(media);
        final List<String> lines = LogCompanion.lines(store);
        final int plain = threads * (each / 10);
        assertEquals(threads * each - plain, lines.size());
        assertEquals(threads * each - plain, new HashSet<>(lines).size(), "each note once");
        long lastVersion = 0;
        final Set<String> keys = new HashSet<>();
        for (final String line : lines)
        {
            final String[] f = line.split(" ");
            if (!f[1].equals("-"))
            {
                final long version = Long.parseLong(f[2]);
                assertTrue(version > lastVersion, "log in version order: " + line);
                lastVersion = version;
                assertEquals(version, store.stat(f[1]).version(), "the version the put got: " + line);
                keys.add(f[1]);
            }
        }
        assertEquals(threads * (each - 2 * (each / 10)), keys.size());
        for (int t = 0; t < threads; t++)
        {
            for (int i = 4; i < each; i += 10)
            {
                assertArrayEquals(content(t * 1000 + i, 4096), store.getBytes("plain" + t + "/" + i));
            }
        }
    }
}
