package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers race puts, replaces and deletes on the same few keys (with checkpoints in between) on
 * real O_DIRECT files. Every acknowledged put and delete carries the store's version, which orders
 * all writes; "last acknowledged" means the highest version. After the race, after a reopen that
 * replays the journal (no clean close), and after a clean close and reopen, every key must hold the
 * content and metadata of its highest-version operation, or be absent when that was a delete.
 */
class SameKeyRaceTest
{
    private static final int WRITERS = 4;
    private static final int KEYS = 5;
    private static final int OPS_PER_WRITER = 150;

    /** One acknowledged write: its version and the state it left. */
    private record Acked(long version, String key, AllowedStates.State state)
    {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepTheHighestVersionAcknowledgedOperationOfEachKeyAfterRaceAndReopen(
        @TempDir(factory = TargetDirs.Factory.class) final Path dir) throws Exception
    {
        DataDirectory.format(dir, 64L << 20, 2, FormatOptions.DEFAULT.withJournalBytes(2 << 20));
        final List<Acked> acked = new ArrayList<>();
        final ObjectStore racing = DataDirectory.open(dir, StoreOptions.DEFAULT);
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Future<List<Acked>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                final int writer = w;
                writers.add(pool.submit(() -> race(racing, writer, start)));
            }
            start.countDown();
            for (final Future<List<Acked>> f : writers)
            {
                acked.addAll(f.get());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final AllowedStates model = lastAcknowledged(acked);
        model.verifyAndResolve(racing, "after the race");
        System.out.println("SameKeyRaceTest: " + acked.size() + " acknowledged writes, " + racing.counter(StoreCounter.JOURNAL_RECORDS)
            + " journal records in " + racing.counter(StoreCounter.JOURNAL_BATCHES) + " group-commit batches");
        racing.abandon();
        final ObjectStore replayed = DataDirectory.open(dir, StoreOptions.DEFAULT);
        model.verifyAndResolve(replayed, "after reopen with journal replay");
        replayed.close();
        try (ObjectStore reopened = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            model.verifyAndResolve(reopened, "after clean close and reopen");
            assertTrue(reopened.fsck(false, ProgressListener.NONE).clean());
        }
    }

    private static List<Acked> race(final ObjectStore store, final int writer, final CountDownLatch start) throws InterruptedException
    {
        final SplittableRandom random = new SplittableRandom(writer * 7919L + 17);
        final List<Acked> done = new ArrayList<>();
        start.await();
        long previous = 0;
        for (int i = 0; i < OPS_PER_WRITER; i++)
        {
            final String key = "k" + random.nextInt(KEYS);
            final int dice = random.nextInt(100);
            final long version;
            final AllowedStates.State state;
            if (dice < 3)
            {
                store.checkpoint();
                continue;
            }
            if (dice < 30)
            {
                version = Math.abs(store.deleteVersioned(key));
                state = AllowedStates.ABSENT;
            }
            else
            {
                state = new AllowedStates.State(writer * 1_000_000L + i, dice < 35 ? 300_000 : random.nextInt(20_000));
                version = store.put(key, state.bytes(), state.metadata()).version();
            }
            if (version > 0)
            {
                assertTrue(version > previous, "writer " + writer + ": versions follow program order");
                previous = version;
                done.add(new Acked(version, key, state));
            }
        }
        return done;
    }

    /** @return each key narrowed to the state of its highest-version acknowledged write. */
    private static AllowedStates lastAcknowledged(final List<Acked> acked)
    {
        final Set<Long> versions = new HashSet<>();
        final AllowedStates model = new AllowedStates();
        final List<Acked> ordered = new ArrayList<>(acked);
        ordered.sort(Comparator.comparingLong(Acked::version));
        for (final Acked a : ordered)
        {
            assertTrue(versions.add(a.version()), "version " + a.version() + " given twice");
            model.acked(a.key(), a.state());
        }
        assertEquals(KEYS, model.keys().size(), "every key was written");
        return model;
    }
}
