package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detach driven deterministically (INVOKER mode, a backend that completes only when told). */
class DetachTest
{
    private static final int BLOCK = 4096;

    private final Arena arena = Arena.ofShared();
    private final RecordingCallback callback = new RecordingCallback();
    private IoScheduler scheduler;
    private ManualBackend backend;
    private IoDevice device;
    private MemoryTarget memory;
    private final MemorySegment buffer = arena.allocate(16 * BLOCK, BLOCK);

    @BeforeEach
    void setUp()
    {
        backend = new ManualBackend(8);
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        device = scheduler.addDevice("dev0", backend);
        memory = new MemoryTarget("mem", arena.allocate(1 << 20, BLOCK));
    }

    @AfterEach
    void tearDown()
    {
        backend.completeOnPoll = true;
        scheduler.close();
        arena.close();
    }

    @Test
    void shouldWaitForRequestsInFlightThenRecycleTheIndex()
    {
        final TargetHandle first = device.attach(memory);
        final TargetHandle second = device.attach(memory);
        device.submit(read(first, 0), callback, 1);
        scheduler.doWork();
        assertEquals(1, backend.inFlightCount());

        final CompletableFuture<Void> detached = device.detach(first);
        scheduler.doWork();
        assertFalse(detached.isDone(), "a detach must wait for the target's request in flight");
        assertFalse(first.isAttached());
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> device.submit(read(first, BLOCK), callback, 2));
        assertEquals(ErrorCode.TARGET_DETACHED, refused.code());
        assertThrows(IllegalStateException.class, () -> device.detach(first));

        backend.completeAll();
        scheduler.doWork();
        assertEquals(BLOCK, callback.result(1));
        assertTrue(detached.isDone());
        assertTrue(first.isDetached());
        final TargetHandle third = device.attach(memory);
        assertEquals(first.index(), third.index(), "the detached index must be reused");
        assertEquals(1, second.index());
    }

    @Test
    void shouldRunRequestsSubmittedBeforeTheDetach()
    {
        final TargetHandle handle = device.attach(memory);
        device.submit(read(handle, 0), callback, 1);
        device.submit(read(handle, BLOCK), callback, 2);
        final CompletableFuture<Void> detached = device.detach(handle);
        assertFalse(detached.isDone(), "the detach is queued behind the requests in the ring");

        scheduler.doWork();
        assertEquals(1, backend.inFlightCount(), "two adjacent reads merged into one task");
        assertFalse(detached.isDone());
        backend.completeAll();
        scheduler.doWork();
        assertEquals(BLOCK, callback.result(1));
        assertEquals(BLOCK, callback.result(2));
        assertTrue(detached.isDone());
    }

    @Test
    void shouldDetachAtOnceWhenNothingIsLive()
    {
        final TargetHandle handle = device.attach(memory);
        final CompletableFuture<Void> detached = device.detach(handle);
        scheduler.doWork();
        assertTrue(detached.isDone());
        assertEquals(handle.index(), device.attach(memory).index());
        assertTrue(backend.submissions.isEmpty());
    }

    private IoRequest read(final TargetHandle handle, final long offset)
    {
        return new IoRequest().read(handle, offset, buffer, offset, BLOCK);
    }
}
