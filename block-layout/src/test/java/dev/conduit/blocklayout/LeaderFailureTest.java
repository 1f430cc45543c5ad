package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nativebindings.ConduitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An exception nobody expected escapes the group-commit leader (an {@link Error} from the namespace,
 * which no handler in the pipeline catches) while other puts wait behind it: every waiting commit
 * must fail with {@code STORE_FAILED} within a bounded time, and later writes must be refused.
 * Before the fix the waiters were left behind undone and spun forever leading empty groups.
 */
@Timeout(60)
class LeaderFailureTest
{
    private static final int FOLLOWERS = 4;
    private static final long JOIN_TIMEOUT_MS = 10_000;

    /** What the namespace throws once armed. */
    private static final class InjectedError extends Error
    {
        private static final long serialVersionUID = 1L;

        InjectedError(final String message)
        {
            super(message);
        }
    }

    /**
     * Parks the first flush after {@link #arm()} until {@link #release()}, and from the release on
     * throws {@link InjectedError} from the chosen operation.
     */
    private static final class FailingNamespace extends ForwardingNamespace
    {
        private final boolean failWrites;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch gate = new CountDownLatch(1);
        private volatile boolean armed;
        private volatile boolean failing;

        FailingNamespace(final Namespace delegate, final boolean failWrites)
        {
            super(delegate);
            this.failWrites = failWrites;
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
            if (failWrites && failing)
            {
                throw new InjectedError("write " + offsetBytes);
            }
            super.write(src, offsetBytes);
        }

        @Override
        public void flush()
        {
            if (armed)
            {
                armed = false;
                entered.countDown();
                awaitGate();
            }
            if (!failWrites && failing)
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
        runScenario(false);
    }

    @Test
    void shouldFailEveryWaitingCommitWithStoreFailedWhenTheLeaderJournalWriteThrowsAnError() throws Exception
    {
        runScenario(true);
    }

    private static void runScenario(final boolean failWrites) throws Exception
    {
        final List<MemoryNamespace> raw = TestStores.formatted(1, 64 * MIB, TestStores.SMALL_JOURNAL);
        final FailingNamespace ns = new FailingNamespace(raw.getFirst(), failWrites);
        final ObjectStore store = TestStores.open(List.of(ns));
        try
        {
            store.put("warm", new byte[100], ObjectMetadata.NONE);
            ns.arm();
            final List<Thread> threads = new ArrayList<>();
            final List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
            threads.add(start(store, "leader", outcomes));
            assertTrue(ns.entered.await(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS), "the leader reaches its data flush");
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
                assertTrue(!t.isAlive(), t.getName() + " is still waiting for its commit " + JOIN_TIMEOUT_MS + " ms after the leader failed");
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
                assertEquals(LayoutErrors.STORE_FAILED, e.code(), e.getMessage());
            }
            assertEquals(1, injected, "exactly the leader's own thread sees the Error itself; the others get STORE_FAILED");
            final ConduitException later = assertThrows(ConduitException.class, () -> store.put("after", new byte[10], ObjectMetadata.NONE));
            assertEquals(LayoutErrors.STORE_FAILED, later.code());
            assertInstanceOf(InjectedError.class, rootCause(later), "the refusal names what broke the store");
        }
        finally
        {
            store.abandon();
            TestStores.closeAll(raw);
        }
    }

    private static Thread start(final ObjectStore store, final String name, final List<AtomicReference<Throwable>> outcomes)
    {
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        outcomes.add(outcome);
        final Thread t = new Thread(() ->
        {
            try
            {
                store.put(name, TestStores.content(name.hashCode(), 5000), ObjectMetadata.NONE);
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
