package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An exception nobody expected escapes the group-commit leader while other puts wait behind it: an
 * {@link Error} from the journal's flush or write (no handler catches Errors), or a plain
 * RuntimeException from a checkpoint stream write that the full journal forced (the checkpoint
 * handler catches only ConduitExceptions). Every waiting commit must fail with
 * {@code STORE_FAILED} within a bounded time, and later writes must be refused. Before the fix the
 * waiters were left behind undone and spun forever leading empty groups.
 */
@Timeout(60)
class LeaderFailureTest
{
    private static final int FOLLOWERS = 4;
    private static final long JOIN_TIMEOUT_MS = 10_000;
    private static final int RECORD_DATA_BYTES = 100;
    /** Near-limit metadata: records of about 8 KiB fill the 1 MiB journal in about a hundred puts. */
    private static final ObjectMetadata BULKY =
        new ObjectMetadata("", Map.of("pad", "x".repeat(ObjectMetadata.MAX_USER_METADATA_BYTES - 16)));

    /** What the namespace throws once armed. */
    private static final class InjectedError extends Error
    {
        private static final long serialVersionUID = 1L;

        InjectedError(final String message)
        {
            super(message);
        }
    }

    /** Where the namespace fails once released. */
    private enum Failure
    {
        FLUSH_ERROR,
        WRITE_ERROR,
        CHECKPOINT_WRITE_RUNTIME_EXCEPTION
    }

    /**
     * Parks the leader's first write after {@link #arm()} (its journal write; with a full journal,
     * its checkpoint's first write, which comes after the put's own data write) until
     * {@link #release()}, and from the release on fails as its {@link Failure} says.
     */
    private static final class FailingNamespace extends ForwardingNamespace
    {
        private final Failure failure;
        private final long dataOffsetBytes;
        private final long journalOffsetBytes;
        private int dataWritesArmed;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean armed;
        private volatile boolean failing;

        FailingNamespace(final Namespace delegate, final Failure failure)
        {
            super(delegate);
            this.failure = failure;
            this.dataOffsetBytes = SuperblockIo.read(delegate).chosen().regions().dataOffsetBytes();
            this.journalOffsetBytes = SuperblockIo.read(delegate).chosen().regions().journalOffsetBytes();
        }

        void arm()
        {
            armed = true;
        }

        void release()
        {
            failing = true;
            gate.countDown();
        }

        @Override
        public void write(final MemorySegment src, final long offsetBytes)
        {
            if (armed && parksAt(offsetBytes))
            {
                armed = false;
                entered.countDown();
                awaitGate();
            }
            if (failing && failure == Failure.WRITE_ERROR)
            {
                throw new InjectedError("write " + offsetBytes);
            }
            // Once the puts' data is written, the only writes to the data region are the checkpoint's.
            if (failing && failure == Failure.CHECKPOINT_WRITE_RUNTIME_EXCEPTION && offsetBytes >= dataOffsetBytes)
            {
                throw new IllegalStateException("injected: checkpoint write at " + offsetBytes);
            }
            super.write(src, offsetBytes);
        }

        private boolean parksAt(final long offsetBytes)
        {
            if (failure == Failure.CHECKPOINT_WRITE_RUNTIME_EXCEPTION)
            {
                return offsetBytes >= dataOffsetBytes && ++dataWritesArmed == 2;
            }
            return offsetBytes >= journalOffsetBytes && offsetBytes < dataOffsetBytes;
        }

        @Override
        public void flush()
        {
            if (failing && failure == Failure.FLUSH_ERROR)
            {
                throw new InjectedError("flush");
            }
            super.flush();
        }

        private void awaitGate()
        {
            try
            {
                if (!gate.await(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("the test never released the gate");
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void shouldFailEveryWaitingCommitWithStoreFailedWhenTheLeaderFlushThrowsAnError() throws Exception
    {
        runScenario(Failure.FLUSH_ERROR);
    }

    @Test
    void shouldFailEveryWaitingCommitWithStoreFailedWhenTheLeaderJournalWriteThrowsAnError() throws Exception
    {
        runScenario(Failure.WRITE_ERROR);
    }

    @Test
    void shouldFailEveryWaitingCommitWithStoreFailedWhenTheLeaderCheckpointThrowsARuntimeException() throws Exception
    {
        runScenario(Failure.CHECKPOINT_WRITE_RUNTIME_EXCEPTION);
    }

    private static void runScenario(final Failure failure) throws Exception
    {
        final List<MemoryNamespace> raw = TestStores.formatted(1, 64 * MIB, TestStores.SMALL_JOURNAL);
        final FailingNamespace ns = new FailingNamespace(raw.getFirst(), failure);
        final ObjectStore store = TestStores.open(List.of(ns));
        try
        {
            store.put("warm", new byte[100], ObjectMetadata.NONE);
            if (failure == Failure.CHECKPOINT_WRITE_RUNTIME_EXCEPTION)
            {
                fillJournal(store);
            }
            ns.arm();
            final List<Thread> threads = new ArrayList<>();
            final List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
            threads.add(start(store, "leader", outcomes));
            assertTrue(ns.entered.await(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the leader reaches its first write");
            for (int i = 0; i < FOLLOWERS; i++)
            {
                threads.add(start(store, "follower-" + i, outcomes));
            }
            for (int i = 1; i < threads.size(); i++)
            {
                awaitParked(threads.get(i));
            }
            ns.release();
            for (final Thread t : threads)
            {
                t.join(JOIN_TIMEOUT_MS);
                assertFalse(t.isAlive(), t.getName() + " is still waiting for its commit " + JOIN_TIMEOUT_MS + " ms after the leader failed");
            }

            int injected = 0;
            for (int i = 0; i < outcomes.size(); i++)
            {
                final Throwable outcome = outcomes.get(i).get();
                if (outcome instanceof InjectedError)
                {
                    injected++;
                    continue;
                }
                final ConduitException e = assertInstanceOf(ConduitException.class, outcome, "commit " + i + " failed");
                assertEquals(ErrorCode.STORE_FAILED, e.code(), e.getMessage());
            }
            // The thread that hit an Error sees the Error itself; a RuntimeException becomes STORE_FAILED for all.
            assertEquals(failure == Failure.CHECKPOINT_WRITE_RUNTIME_EXCEPTION ? 0 : 1, injected);
            final ConduitException later =
                assertThrows(ConduitException.class, () -> store.put("after", new byte[10], ObjectMetadata.NONE));
            assertEquals(ErrorCode.STORE_FAILED, later.code());
            final Throwable root = rootCause(later);
            assertTrue(root instanceof InjectedError || root.getMessage().startsWith("injected"),
                "the refusal names what broke the store: " + root);
        }
        finally
        {
            store.abandon();
            TestStores.closeAll(raw);
        }
    }

    /**
     * Puts records of the same size until the journal holds as many as it did when it last needed a
     * checkpoint, so the next put must checkpoint first.
     */
    private static void fillJournal(final ObjectStore store)
    {
        int n = 0;
        final long start = store.counter(StoreCounter.CHECKPOINTS);
        while (store.counter(StoreCounter.CHECKPOINTS) == start)
        {
            store.put(String.format("fill-%05d", n++), new byte[RECORD_DATA_BYTES], BULKY);
        }
        // The journal now holds just the record that forced the checkpoint; count a whole period.
        int perJournal = 1;
        final long first = store.counter(StoreCounter.CHECKPOINTS);
        while (store.counter(StoreCounter.CHECKPOINTS) == first)
        {
            store.put(String.format("fill-%05d", n++), new byte[RECORD_DATA_BYTES], BULKY);
            perJournal++;
        }
        for (int i = 1; i < perJournal - 1; i++)
        {
            store.put(String.format("fill-%05d", n++), new byte[RECORD_DATA_BYTES], BULKY);
        }
        assertTrue(n < 10_000, "the journal filled after " + n + " puts");
    }

    private static Thread start(final ObjectStore store, final String name, final List<AtomicReference<Throwable>> outcomes)
    {
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        outcomes.add(outcome);
        final Thread t = new Thread(() ->
        {
            try
            {
                // The same key length, size and metadata as the records that filled the journal.
                store.put(String.format("%-10s", name), new byte[RECORD_DATA_BYTES], BULKY);
                outcome.set(new AssertionError(name + " committed although the store failed"));
            }
            catch (final Throwable e)
            {
                outcome.set(e);
            }
        }, name);
        // A thread left spinning by a broken pipeline must not keep the test JVM alive.
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until {@code t} is parked waiting for the leader (its commit is queued). */
    private static void awaitParked(final Thread t) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
        while (t.getState() != Thread.State.WAITING)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail(t.getName() + " never queued its commit: " + t.getState());
            }
            Thread.sleep(1);
        }
    }

    private static Throwable rootCause(final Throwable e)
    {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t)
        {
            t = t.getCause();
        }
        return t;
    }
}
