package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional commits of put sessions on real O_DIRECT files: {@link CommitCondition#IF_ABSENT}
 * and {@link CommitCondition#ifVersion} are checked in the commit pipeline, so of several sessions
 * racing to create one key exactly one publishes, and the losers' space is returned.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitConditionTest
{
    private static final int THREADS = 8;
    private static final int ROUNDS = 15;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldPublishExactlyOneOfConcurrentIfAbsentSessions() throws Exception
    {
        DataDirectory.format(dir, 2 * 64L * MIB, 2, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final long baseline = ComposeTest.used(store);
            long winnersFootprint = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                final String key = "race/" + round;
                final CyclicBarrier start = new CyclicBarrier(THREADS);
                final List<Future<ObjectRecord>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++)
                {
                    final byte[] data = content(round * 100L + t, 70_000 + t * 4096);
                    results.add(pool.submit(() ->
                    {
                        try (PutSession put = store.openPut(key, ObjectMetadata.NONE))
                        {
                            put.append(data, 0, data.length);
                            start.await(30, TimeUnit.SECONDS);
                            try
                            {
                                return put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.IF_ABSENT);
                            }
                            catch (final ConduitException e)
                            {
                                assertEquals(ErrorCode.PRECONDITION_FAILED, e.code(), e.getMessage());
                                assertTrue(e.getMessage().contains(key), e.getMessage());
                                return null;
                            }
                        }
                    }));
                }
                ObjectRecord winner = null;
                int winnerThread = -1;
                int winners = 0;
                for (int t = 0; t < THREADS; t++)
                {
                    final ObjectRecord r = results.get(t).get(60, TimeUnit.SECONDS);
                    if (r != null)
                    {
                        winners++;
                        winner = r;
                        winnerThread = t;
                    }
                }
                assertEquals(1, winners, "round " + round + ": winners");
                assertNotNull(winner);
                assertEquals(winner.version(), store.stat(key).version());
                assertArrayEquals(content(round * 100L + winnerThread, 70_000 + winnerThread * 4096), store.getBytes(key));
                winnersFootprint += ComposeTest.footprint(winner);
            }
            assertEquals(baseline + winnersFootprint, ComposeTest.used(store), "the losers' space was returned");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCheckVersionConditionsOfPutSessions() throws Exception
    {
        DataDirectory.format(dir, 64L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final long baseline = ComposeTest.used(store);
            final ObjectRecord first = commit(store, "k", content(1, 3 * (int)MIB), CommitCondition.IF_ABSENT);
            final long afterFirst = ComposeTest.used(store);
            final ConduitException stale = assertThrows(ConduitException.class,
                () -> commit(store, "k", content(2, 2 * (int)MIB), CommitCondition.ifVersion(first.version() + 1)));
            assertEquals(ErrorCode.PRECONDITION_FAILED, stale.code());
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ConduitException.class,
                () -> commit(store, "absent", content(3, 10), CommitCondition.ifVersion(first.version()))).code());
            assertEquals(afterFirst, ComposeTest.used(store), "refused sessions keep no space");
            final ObjectRecord second = commit(store, "k", content(4, 100), CommitCondition.ifVersion(first.version()));
            assertArrayEquals(content(4, 100), store.getBytes("k"));
            assertTrue(second.version() > first.version());
            assertTrue(store.delete("k"));
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ConduitException.class,
                () -> commit(store, "k", content(5, 10), CommitCondition.ifVersion(second.version()))).code());
            commit(store, "k", content(6, 10), CommitCondition.IF_ABSENT);
            assertTrue(store.delete("k"));
            assertEquals(baseline, ComposeTest.used(store));
        }
    }

    private static ObjectRecord commit(final ObjectStore store, final String key, final byte[] data, final CommitCondition condition)
    {
        try (PutSession put = store.openPut(key, ObjectMetadata.NONE))
        {
            put.append(data, 0, data.length);
            return put.commit(PutSession.UNKNOWN_SIZE, null, condition);
        }
    }
}
