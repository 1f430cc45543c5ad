package dev.conduit.scheduler.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One completion per range read, whatever happens: cancelled, past its deadline, or cut short at
 * submission by a closed scheduler, a read completes exactly once and never while one of its
 * pieces is still in flight. The namespaces' reads can be held at a gate, so "in flight" is a
 * state the test controls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangeReadCompletionTest
{
    private static final long MIB = 1L << 20;
    private static final int OBJECT_BYTES = (int)(6 * MIB);

    private final Arena arena = Arena.ofShared();
    private final List<MemoryNamespace> memories = new ArrayList<>();
    private final List<Gate> gates = new ArrayList<>();
    private final List<TargetHandle> targets = new ArrayList<>();
    private IoScheduler scheduler;
    private ObjectStore store;
    private ObjectRangeReader reader;

    /** Holds every read until opened. */
    private static final class Gate extends ForwardingNamespace
    {
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private final AtomicInteger held = new AtomicInteger();

        Gate(final Namespace delegate)
        {
            super(delegate);
        }

        void hold()
        {
            latch = new CountDownLatch(1);
        }

        void open()
        {
            latch.countDown();
        }

        @Override
        public long read(final MemorySegment dst, final long offsetBytes)
        {
            try
            {
                final CountDownLatch current = latch;
                if (current.getCount() > 0)
                {
                    held.incrementAndGet();
                }
                current.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            return super.read(dst, offsetBytes);
        }
    }

    /** Counts completions and keeps the last result. */
    private static final class Completions implements IoCallback
    {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong result = new AtomicLong(Long.MIN_VALUE);

        @Override
        public void onComplete(final long tag, final long result)
        {
            this.result.set(result);
            count.incrementAndGet();
        }

        long awaitOne() throws InterruptedException
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count.get() == 0 && System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(1);
            }
            Thread.sleep(50);                       // a second completion would show up here
            assertEquals(1, count.get(), "completions");
            return result.get();
        }
    }

    @BeforeEach
    void setUp()
    {
        for (int i = 0; i < 2; i++)
        {
            memories.add(MemoryNamespace.allocate("m" + i, 32 * MIB));
        }
        ObjectStore.format(memories, FormatOptions.DEFAULT.withJournalBytes(MIB));
        scheduler = IoScheduler.launch(new SchedulerContext());
        final List<Namespace> scheduled = new ArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            final Gate gate = new Gate(memories.get(i));
            gates.add(gate);
            final ScheduledNamespace ns = new ScheduledNamespace(gate,
                scheduler.addDevice("ns" + i, new PreadBackend("ns" + i, 4), new DeviceContext().queueDepth(4)), Priority.LATENCY);
            scheduled.add(ns);
            targets.add(ns.target());
        }
        store = ObjectStore.open(scheduled, StoreOptions.DEFAULT);
        store.put("obj", StoreContent.bytes(9, OBJECT_BYTES), ObjectMetadata.NONE);
        reader = new ObjectRangeReader(targets);
    }

    @AfterEach
    void tearDown()
    {
        for (final Gate gate : gates)
        {
            gate.open();
        }
        store.close();
        scheduler.close();
        for (final MemoryNamespace memory : memories)
        {
            memory.close();
        }
        arena.close();
    }

    @Test
    void shouldCompleteOnceWithCancelledOnlyAfterPiecesInFlightFinish() throws Exception
    {
        final Completions completions = new Completions();
        final MemorySegment dst = arena.allocate(OBJECT_BYTES, 4096);
        closeGates();
        final long readId;
        try (ObjectReadHandle version = store.openObject("obj"))
        {
            readId = reader.read(new RangeRequest().object(version).range(0, OBJECT_BYTES).into(dst, 0), completions, 7);
        }
        awaitPieceInFlight();
        reader.cancel(readId);
        Thread.sleep(100);
        assertEquals(0, completions.count.get(), "completed while pieces were still held at the gate");
        openGates();
        assertEquals(IoStatus.CANCELLED, completions.awaitOne());
        reader.cancel(readId);                      // after completion: no effect, no second completion
        assertEquals(1, completions.count.get());
        assertReaderStillWorks(dst);
    }

    @Test
    void shouldCompleteOnceWithTimedOutWhenDeadlinePasses() throws Exception
    {
        final Completions completions = new Completions();
        final MemorySegment dst = arena.allocate(OBJECT_BYTES, 4096);
        closeGates();
        try (ObjectReadHandle version = store.openObject("obj"))
        {
            reader.read(new RangeRequest().object(version).range(12_345, OBJECT_BYTES - 20_000).into(dst, 0).timeoutNs(20_000_000),
                completions, 7);
        }
        awaitPieceInFlight();
        Thread.sleep(100);
        assertEquals(0, completions.count.get(), "completed while pieces were still held at the gate");
        openGates();
        assertEquals(IoStatus.TIMED_OUT, completions.awaitOne());
        assertReaderStillWorks(dst);
    }

    @Test
    void shouldCompleteOnceWithShutdownWhenSubmissionFails() throws Exception
    {
        final List<TargetHandle> closedTargets = new ArrayList<>();
        try (IoScheduler other = IoScheduler.launch(new SchedulerContext()))
        {
            for (int i = 0; i < gates.size(); i++)
            {
                closedTargets.add(other.addDevice("other" + i, new PreadBackend("other" + i, 2), new DeviceContext())
                    .attach(new NamespaceTarget(gates.get(i))));
            }
        }
        final Completions completions = new Completions();
        try (ObjectReadHandle version = store.openObject("obj"))
        {
            new ObjectRangeReader(closedTargets).read(
                new RangeRequest().object(version).range(0, OBJECT_BYTES).into(arena.allocate(OBJECT_BYTES, 4096), 0), completions, 1);
        }
        assertEquals(IoStatus.SHUTDOWN, completions.awaitOne());
    }

    @Test
    void shouldRejectMalformedRequestsBeforeSubmittingAnything() throws Exception
    {
        final Completions completions = new Completions();
        final MemorySegment dst = arena.allocate(OBJECT_BYTES, 4096);
        final ObjectReadHandle version = store.openObject("obj");
        assertThrows(IllegalArgumentException.class,
            () -> reader.read(new RangeRequest().object(version).range(OBJECT_BYTES - 10, 11).into(dst, 0), completions, 0));
        assertThrows(IllegalArgumentException.class,
            () -> reader.read(new RangeRequest().object(version).range(0, 100).into(dst, OBJECT_BYTES - 99), completions, 0));
        try (Arena confined = Arena.ofConfined())
        {
            final MemorySegment mine = confined.allocate(4096, 4096);
            assertThrows(IllegalArgumentException.class,
                () -> reader.read(new RangeRequest().object(version).range(0, 4096).into(mine, 0), completions, 0));
        }
        version.close();
        assertThrows(IllegalStateException.class,
            () -> reader.read(new RangeRequest().object(version).range(0, 100).into(dst, 0), completions, 0));
        assertEquals(0, completions.count.get());
        assertReaderStillWorks(dst);
    }

    private void assertReaderStillWorks(final MemorySegment dst) throws InterruptedException
    {
        final Completions completions = new Completions();
        try (ObjectReadHandle version = store.openObject("obj"))
        {
            reader.read(new RangeRequest().object(version).range(MIB + 3, 2 * MIB).into(dst, 1), completions, 0);
        }
        assertEquals(2 * MIB, completions.awaitOne());
        assertTrue(StoreContent.firstMismatch(dst, 1, 9, MIB + 3, 2 * MIB) < 0);
    }

    private void closeGates()
    {
        for (final Gate gate : gates)
        {
            gate.hold();
        }
    }

    /** Waits until some piece of the read is in flight: held at a gate inside the backend. */
    private void awaitPieceInFlight() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gates.get(0).held.get() + gates.get(1).held.get() == 0 && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(1);
        }
    }

    private void openGates()
    {
        for (final Gate gate : gates)
        {
            gate.open();
        }
    }
}
