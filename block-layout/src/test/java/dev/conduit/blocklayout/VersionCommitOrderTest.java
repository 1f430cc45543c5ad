package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A version removal and a conditional write of the same key in one group commit: removing the
 * current version promotes the one before it, and a write conditional on that promoted version,
 * queued right behind the removal, must be checked against the promoted version (the pipeline
 * journals the removal's batch first), not against the catalog as it was before the group.
 */
@Timeout(60)
class VersionCommitOrderTest
{
    private static final ObjectMetadata ON = ObjectMetadata.NONE.withVersioning(VersioningMode.ENABLED);

    /** Holds the first flush after {@link #arm()} until {@link #release()}. */
    private static final class GatedNamespace extends ForwardingNamespace
    {
        private final AtomicBoolean armed = new AtomicBoolean();
        private final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        GatedNamespace(final Namespace delegate)
        {
            super(delegate);
        }

        void arm()
        {
            armed.set(true);
        }

        void release()
        {
            released.countDown();
        }

        @Override
        public void flush()
        {
            if (armed.compareAndSet(true, false))
            {
                blocked.countDown();
                try
                {
                    released.await();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
            super.flush();
        }
    }

    @Test
    void shouldCheckAConditionQueuedBehindAVersionRemovalAgainstThePromotedVersion() throws Exception
    {
        final List<MemoryNamespace> raw = TestStores.formatted(1, 16 * TestStores.MIB, TestStores.SMALL_JOURNAL);
        final GatedNamespace gate = new GatedNamespace(raw.getFirst());
        try (ObjectStore store = TestStores.open(List.of(gate)))
        {
            final ObjectRecord v1 = store.put("k", content(1, 100), ON);
            final ObjectRecord v2 = store.put("k", content(2, 100), ON);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicReference<ObjectRecord> conditional = new AtomicReference<>();

            gate.arm();
            final Thread leader = Thread.ofPlatform().start(() -> store.put("other", content(3, 100), ObjectMetadata.NONE));
            assertTrue(gate.blocked.await(30, TimeUnit.SECONDS), "the leader reached its flush");
            final Thread removal = Thread.ofPlatform().start(() -> store.deleteVersion("k", v2.versionId()));
            awaitWaiting(removal);
            final Thread writer = Thread.ofPlatform().start(() ->
            {
                try (PutSession put = store.openPut("k", ON, 10))
                {
                    put.append(content(4, 10), 0, 10);
                    conditional.set(put.commit(10, null, CommitCondition.ifVersion(v1.version())));
                }
                catch (final RuntimeException e)
                {
                    failure.set(e);
                }
            });
            awaitWaiting(writer);
            gate.release();
            for (final Thread t : List.of(leader, removal, writer))
            {
                t.join(30_000);
            }

            assertNull(failure.get(), () -> "the conditional write was refused: " + failure.get());
            assertArrayEquals(content(4, 10), store.getBytes("k"));
            final List<Long> ids = new ArrayList<>();
            store.listVersions(VersionListRequest.of("k", 10)).versions().forEach(e -> ids.add(e.record().versionId()));
            assertEquals(List.of(conditional.get().versionId(), v1.versionId()), ids);
        }
        finally
        {
            TestStores.closeAll(raw);
        }
    }

    /** Bounded wait until {@code t} blocks in the commit queue (a condition wait). */
    private static void awaitWaiting(final Thread t) throws InterruptedException
    {
        for (int i = 0; i < 3000 && t.getState() != Thread.State.WAITING; i++)
        {
            Thread.sleep(10);
        }
        assertEquals(Thread.State.WAITING, t.getState(), t.getName() + " is queued behind the leader");
    }
}
