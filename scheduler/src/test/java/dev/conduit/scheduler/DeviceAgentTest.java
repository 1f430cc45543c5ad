package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submit handler driven deterministically: INVOKER mode, {@code doWork()} called by the test, a
 * manual clock and a backend that completes tasks only when told.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeviceAgentTest
{
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final ManualClock clock = new ManualClock();
    private final RecordingCallback callback = new RecordingCallback();
    private final IoRequest request = new IoRequest();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(16 * MIB, 4096);
    private ManualBackend backend;
    private IoScheduler scheduler;
    private IoDevice device;
    private TargetHandle t0;
    private TargetHandle t1;

    private void start(final DeviceContext context)
    {
        start(context, 30_000_000_000L);
    }

    private void start(final DeviceContext context, final long drainTimeoutNs)
    {
        backend = new ManualBackend(64);
        scheduler = IoScheduler.launch(new SchedulerContext()
            .clock(clock).threadingMode(ThreadingMode.INVOKER).drainTimeoutNs(drainTimeoutNs));
        device = scheduler.addDevice("dev0", backend, context);
        t0 = device.attach(new SizedTarget("t0", 1L << 30, 1));
        t1 = device.attach(new SizedTarget("t1", 1L << 30, 1));
    }

    @AfterEach
    void tearDown()
    {
        if (scheduler != null)
        {
            backend.completeOnPoll = true;
            scheduler.close();
            assertTrue(backend.closed, "backend closed by the device");
        }
        arena.close();
    }

    private long read(final TargetHandle target, final long offset, final long bufferOffset, final long length,
        final Priority priority, final long tag)
    {
        request.read(target, offset, buffer, bufferOffset, length).priority(priority).noDeadline();
        return scheduler.submit(request, callback, tag);
    }

    private long read(final long offset, final long length, final long tag)
    {
        return read(t0, offset, offset, length, Priority.LATENCY, tag);
    }

    private void work()
    {
        // Bounded: each cycle either does something or the state is settled.
        for (int i = 0; i < 1000 && scheduler.doWork() > 0; i++)
        {
            assertTrue(i < 999, "duty cycle never settled");
        }
    }

    // ------------------------------------------------------------------ splitting

    @Test
    void shouldSplitLargeRequestIntoTasksOfTaskSize()
    {
        start(new DeviceContext().taskSizeBytes(MIB).queueDepth(8));
        read(t0, 4096, 0, 3 * MIB + MIB / 2, Priority.BULK, 1);
        work();

        assertEquals(4, backend.submissions.size());
        for (int i = 0; i < 4; i++)
        {
            final ManualBackend.Submission s = backend.submissions.get(i);
            assertEquals(4096 + i * MIB, s.offsetBytes());
            assertEquals(i < 3 ? MIB : MIB / 2, s.lengthBytes());
            assertEquals(1, s.iovAddresses().length);
            assertEquals(buffer.address() + i * MIB, s.iovAddresses()[0]);
        }
        backend.completeAll();
        work();
        assertEquals(3 * MIB + MIB / 2, callback.result(1));
    }

    @Test
    void shouldCompleteSplitRequestOnlyWhenEveryTaskHasReturned()
    {
        start(new DeviceContext().taskSizeBytes(MIB).queueDepth(2));
        read(0, 4 * MIB, 1);
        work();
        assertEquals(2, backend.inFlightCount(), "queue depth caps the slices in flight");
        for (int i = 0; i < 3; i++)
        {
            backend.completeOldest();
            work();
            assertFalse(callback.isDone(1), "completed after " + (i + 1) + " of 4 tasks");
        }
        backend.completeOldest();
        work();
        assertEquals(4, backend.submissions.size());
        assertEquals(4 * MIB, callback.result(1));
    }

    // ------------------------------------------------------------------ merging

    @Test
    void shouldMergeAdjacentSmallRequestsIntoOneTask()
    {
        start(new DeviceContext());
        for (int i = 0; i < 4; i++)
        {
            // Adjacent on the target, scattered in memory.
            read(t0, i * 4 * KIB, (3 - i) * 64 * KIB, 4 * KIB, Priority.LATENCY, i);
        }
        work();

        assertEquals(1, backend.submissions.size());
        final ManualBackend.Submission s = backend.submissions.get(0);
        assertEquals(0, s.offsetBytes());
        assertEquals(16 * KIB, s.lengthBytes());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(buffer.address() + (3 - i) * 64 * KIB, s.iovAddresses()[i]);
            assertEquals(4 * KIB, s.iovLengths()[i]);
        }
        backend.completeAll();
        work();
        for (int i = 0; i < 4; i++)
        {
            assertEquals(4 * KIB, callback.result(i));
        }
        assertEquals(3, device.metrics().counter(Priority.LATENCY, DeviceCounter.MERGED));
    }

    @Test
    void shouldMergeNeighboursFoundAnywhereInTheWindow()
    {
        start(new DeviceContext());
        read(0, 4 * KIB, 0);
        read(8 * KIB, 4 * KIB, 2);
        read(4 * KIB, 4 * KIB, 1);
        work();

        assertEquals(1, backend.submissions.size());
        final ManualBackend.Submission s = backend.submissions.get(0);
        assertEquals(12 * KIB, s.lengthBytes());
        assertEquals(buffer.address(), s.iovAddresses()[0]);
        assertEquals(buffer.address() + 4 * KIB, s.iovAddresses()[1]);
        assertEquals(buffer.address() + 8 * KIB, s.iovAddresses()[2]);
    }

    @Test
    void shouldNotMergeAcrossGapsOperationsTargetsOrLargeRequests()
    {
        start(new DeviceContext().coalesceMaxBytes(64 * KIB));
        read(0, 4 * KIB, 0);
        read(8 * KIB, 4 * KIB, 1);                                       // gap
        request.write(t0, 12 * KIB, buffer, 12 * KIB, 4 * KIB).priority(Priority.LATENCY);
        scheduler.submit(request, callback, 2);                         // other op
        read(t1, 16 * KIB, 16 * KIB, 4 * KIB, Priority.LATENCY, 3);    // other target
        read(20 * KIB, 4 * KIB, 4);
        read(24 * KIB, 128 * KIB, 5);                                   // too large to merge
        read(t0, 152 * KIB, 152 * KIB, 4 * KIB, Priority.BULK, 6);     // other class
        work();

        assertEquals(7, backend.submissions.size());
        assertEquals(0, device.metrics().counter(DeviceCounter.MERGED));
    }

    @Test
    void shouldCapMergedTaskAtMaxIovAndTaskSize()
    {
        start(new DeviceContext().maxIovPerTask(4));
        for (int i = 0; i < 10; i++)
        {
            read(i * 4 * KIB, 4 * KIB, i);
        }
        work();
        assertEquals(List.of(4, 4, 2), backend.submissions.stream().map(s -> s.iovAddresses().length).toList());

        backend.completeAll();
        work();
        start2TaskSizeCap();
    }

    private void start2TaskSizeCap()
    {
        final int before = backend.submissions.size();
        // 3 x 96 KiB adjacent, task size 4 MiB: all merge; but with 128 KiB tasks only pairs that fit do.
        scheduler.close();
        start(new DeviceContext().taskSizeBytes(128 * KIB));
        read(0, 96 * KIB, 100);
        read(96 * KIB, 96 * KIB, 101);
        work();
        assertEquals(2, backend.submissions.size(), "96 + 96 KiB exceeds the 128 KiB task size (previous run had " +
            before + ")");
    }

    @Test
    void shouldSplitARequestLargerThanTheTaskSizeEvenWhenItIsSmallEnoughToMerge()
    {
        start(new DeviceContext().taskSizeBytes(16 * KIB).coalesceMaxBytes(64 * KIB));
        read(0, 48 * KIB, 1);
        read(48 * KIB, 8 * KIB, 2);
        work();
        assertEquals(List.of(16 * KIB, 16 * KIB, 16 * KIB, 8 * KIB),
            backend.submissions.stream().map(ManualBackend.Submission::lengthBytes).toList());
    }

    @Test
    void shouldShareShortReadAmongMergedRequestsInOffsetOrder()
    {
        start(new DeviceContext());
        read(0, 4 * KIB, 0);
        read(4 * KIB, 4 * KIB, 1);
        read(8 * KIB, 4 * KIB, 2);
        work();
        backend.complete(backend.oldestInFlight(), 6 * KIB);
        work();
        assertEquals(4 * KIB, callback.result(0));
        assertEquals(2 * KIB, callback.result(1));
        assertEquals(0, callback.result(2));
    }

    @Test
    void shouldFailOnlyTheRequestWhoseIoFailedWhenMergedIoFails()
    {
        start(new DeviceContext());
        read(0, 4 * KIB, 0);
        read(4 * KIB, 4 * KIB, 1);
        read(8 * KIB, 4 * KIB, 2);
        work();
        assertEquals(1, backend.submissions.size());

        backend.complete(backend.oldestInFlight(), -Errno.EIO);
        work();
        assertEquals(0, callback.count(), "a merged failure is retried request by request, not reported");
        assertEquals(4, backend.submissions.size());
        for (int i = 1; i < 4; i++)
        {
            assertEquals(1, backend.submissions.get(i).iovAddresses().length);
            assertEquals((i - 1) * 4 * KIB, backend.submissions.get(i).offsetBytes());
        }
        backend.completeOldest();
        backend.complete(backend.oldestInFlight(), -Errno.EIO);
        backend.completeOldest();
        work();

        assertEquals(4 * KIB, callback.result(0));
        assertEquals(-Errno.EIO, callback.result(1));
        assertEquals("EIO", IoStatus.name(callback.result(1)));
        assertEquals(4 * KIB, callback.result(2));
        assertEquals(1, device.metrics().counter(DeviceCounter.MERGE_RETRIES));
        assertEquals(1, device.metrics().counter(DeviceCounter.IO_ERRORS));
    }

    @Test
    void shouldFailSplitRequestOnceAndStopDispatchingItWhenATaskFails()
    {
        start(new DeviceContext().taskSizeBytes(MIB).queueDepth(2));
        read(0, 4 * MIB, 1);
        read(t0, 64 * MIB, 0, 4 * KIB, Priority.LATENCY, 2);
        work();
        backend.complete(backend.oldestInFlight(), -Errno.EIO);
        work();
        assertFalse(callback.isDone(1), "the other slice is still in flight");
        assertEquals(3, backend.submissions.size(), "the failed request dispatches nothing more; the next one goes");
        assertEquals(64 * MIB, backend.submissions.get(2).offsetBytes());

        backend.completeAll();
        work();
        assertEquals(-Errno.EIO, callback.result(1));
        assertEquals(4 * KIB, callback.result(2));
        assertEquals(3, backend.submissions.size());
    }

    // ------------------------------------------------------------------ queue depth and priority

    @Test
    void shouldCapTasksInFlightAtQueueDepth()
    {
        start(new DeviceContext().queueDepth(4));
        for (int i = 0; i < 10; i++)
        {
            read(i * MIB, 4 * KIB, i);
        }
        work();
        assertEquals(4, backend.inFlightCount());
        assertEquals(4, device.metrics().inFlightTasks());
        assertEquals(6, device.metrics().pendingRequests(Priority.LATENCY));

        backend.completeOldest();
        work();
        assertEquals(4, backend.inFlightCount());
        assertEquals(5, backend.submissions.size());

        final Histogram depth = device.metrics().queueDepthInterval(null);
        assertEquals(4, depth.getMaxValue());
    }

    @Test
    void shouldKeepQueueDepthOfUnmergedOneMibReadsInFlightForASequentialStream()
    {
        // The bench's 1 MiB sequential read at QD 32: adjacent requests, default task size and merge limit.
        start(new DeviceContext().queueDepth(32));
        final int depth = 32;
        long nextOffset = 0;
        for (int i = 0; i < depth; i++)
        {
            read(t0, nextOffset, (i % 16) * MIB, MIB, Priority.LATENCY, i);
            nextOffset += MIB;
        }
        work();

        assertEquals(depth, backend.inFlightCount(), "every request is its own task, all in flight at once");
        assertEquals(depth, backend.submissions.size());
        for (int i = 0; i < depth; i++)
        {
            final ManualBackend.Submission s = backend.submissions.get(i);
            assertEquals(i * MIB, s.offsetBytes());
            assertEquals(MIB, s.lengthBytes());
            // One piece: eligible for READ_FIXED on a registered buffer; never a merged READV.
            assertEquals(1, s.iovAddresses().length);
        }
        assertEquals(0, device.metrics().counter(DeviceCounter.MERGED));

        // Closed loop: each completion's replacement goes out in the same duty cycle, keeping the depth.
        for (int i = 0; i < 2 * depth; i++)
        {
            backend.completeOldest();
            read(t0, nextOffset, (i % 16) * MIB, MIB, Priority.LATENCY, depth + i);
            nextOffset += MIB;
            work();
            assertEquals(depth, backend.inFlightCount(), "after completion " + i);
            assertEquals(MIB, callback.result(i));
        }
        assertEquals(3 * depth, device.metrics().counter(DeviceCounter.TASKS));
        assertEquals(0, device.metrics().counter(DeviceCounter.MERGED));
        assertEquals(depth, device.metrics().queueDepthInterval(null).getMinValue());
    }

    @Test
    void shouldDispatchLatencyBeforeBulk()
    {
        start(new DeviceContext().queueDepth(1));
        read(t0, 0, 0, 4 * KIB, Priority.BULK, 0);
        read(t0, MIB, 0, 4 * KIB, Priority.BULK, 1);
        read(t0, 2 * MIB, 0, 4 * KIB, Priority.LATENCY, 2);
        read(t0, 3 * MIB, 0, 4 * KIB, Priority.LATENCY, 3);
        drainOneAtATime(4);
        assertEquals(List.of(2L, 3L, 0L, 1L), callback.order());
    }

    @Test
    void shouldNotStarveBulkUnderLatencyFlood()
    {
        start(new DeviceContext().queueDepth(1).latencyBurst(3));
        for (int i = 0; i < 3; i++)
        {
            read(t0, (100 + i) * MIB, 0, 4 * KIB, Priority.BULK, 100 + i);
        }
        for (int i = 0; i < 30; i++)
        {
            read(t0, i * MIB, 0, 4 * KIB, Priority.LATENCY, i);
        }
        drainOneAtATime(33);

        final List<Priority> dispatched = backend.submissions.stream().map(ManualBackend.Submission::priority).toList();
        int streak = 0;
        int maxStreakWhileBulkWaited = 0;
        int bulkSeen = 0;
        for (final Priority p : dispatched)
        {
            if (p == Priority.BULK)
            {
                bulkSeen++;
                streak = 0;
            }
            else if (bulkSeen < 3)
            {
                maxStreakWhileBulkWaited = Math.max(maxStreakWhileBulkWaited, ++streak);
            }
        }
        assertEquals(3, bulkSeen, "every BULK request completes");
        assertEquals(3, maxStreakWhileBulkWaited, "at most latencyBurst LATENCY tasks go while BULK waits");
        assertEquals(Priority.BULK, dispatched.get(3));
    }

    @Test
    void shouldDispatchLatencyAtOnceWhenBulkFloodFillsUnreservedSlots()
    {
        start(new DeviceContext().queueDepth(8).latencyReserve(2));
        for (int i = 0; i < 100; i++)
        {
            read(t0, i * MIB, 0, 4 * KIB, Priority.BULK, 1000 + i);
        }
        work();
        assertEquals(6, backend.inFlightCount(), "BULK leaves the reserved slots free");

        read(t0, 512 * MIB, 0, 4 * KIB, Priority.LATENCY, 1);
        work();
        assertEquals(7, backend.submissions.size());
        assertEquals(Priority.LATENCY, backend.submissions.get(6).priority(), "dispatched with zero BULK completions");

        drainOneAtATime(101);
        assertEquals(101, callback.count(), "the BULK flood still completes");
    }

    @Test
    void shouldDispatchLatencyAfterOneBulkCompletionWithoutReserve()
    {
        start(new DeviceContext().queueDepth(4).latencyReserve(0));
        for (int i = 0; i < 50; i++)
        {
            read(t0, i * MIB, 0, 4 * KIB, Priority.BULK, 1000 + i);
        }
        work();
        read(t0, 512 * MIB, 0, 4 * KIB, Priority.LATENCY, 1);
        work();
        assertEquals(4, backend.submissions.size());

        backend.completeOldest();
        work();
        assertEquals(Priority.LATENCY, backend.submissions.get(4).priority(), "the first free slot goes to LATENCY");
        drainOneAtATime(51);
    }

    /** Completes the oldest task and runs the duty cycle until {@code expected} requests have completed. */
    private void drainOneAtATime(final int expected)
    {
        work();
        for (int i = 0; i < 10 * expected && callback.count() < expected; i++)
        {
            backend.completeOldest();
            work();
        }
        assertEquals(expected, callback.count());
    }

    // ------------------------------------------------------------------ deadlines and cancellation

    @Test
    void shouldTimeOutQueuedRequestWhenDeadlinePasses()
    {
        start(new DeviceContext().queueDepth(1));
        read(0, 4 * KIB, 1);
        request.read(t0, MIB, buffer, 0, 4 * KIB).timeoutNs(1_000_000);
        scheduler.submit(request, callback, 2);
        work();
        clock.advanceNs(999_999);
        work();
        assertFalse(callback.isDone(2));

        clock.advanceNs(1);
        work();
        assertEquals(IoStatus.TIMED_OUT, callback.result(2));
        assertEquals("TIMED_OUT", IoStatus.name(callback.result(2)));
        assertEquals(ErrorCode.TIMED_OUT, IoStatus.errorCode(callback.result(2)));
        assertEquals(1, backend.submissions.size(), "a timed-out request is never dispatched");
        assertEquals(1, device.metrics().counter(DeviceCounter.TIMED_OUT));
    }

    @Test
    void shouldTimeOutInFlightRequestOnlyAfterItsIoReturns()
    {
        start(new DeviceContext());
        request.read(t0, 0, buffer, 0, 4 * KIB).deadlineNs(clock.nanoTime() + 1000);
        scheduler.submit(request, callback, 1);
        work();
        clock.advanceNs(2000);
        work();
        assertFalse(callback.isDone(1), "the buffer belongs to the I/O until it returns");
        assertEquals(1, backend.cancelAttempts.size(), "the backend is asked to abort the I/O");

        backend.complete(backend.oldestInFlight(), IoStatus.CANCELLED);
        work();
        assertEquals(IoStatus.TIMED_OUT, callback.result(1));
    }

    @Test
    void shouldTimeOutAtOnceWhenDeadlineHasAlreadyPassed()
    {
        start(new DeviceContext());
        request.read(t0, 0, buffer, 0, 4 * KIB).deadlineNs(clock.nanoTime() - 1);
        scheduler.submit(request, callback, 1);
        work();
        assertEquals(IoStatus.TIMED_OUT, callback.result(1));
        assertEquals(0, backend.submissions.size());
    }

    @Test
    void shouldCancelQueuedRequest()
    {
        start(new DeviceContext().queueDepth(1));
        read(0, 4 * KIB, 1);
        final long id = read(MIB, 4 * KIB, 2);
        work();
        scheduler.cancel(id);
        work();
        assertEquals(IoStatus.CANCELLED, callback.result(2));
        assertFalse(callback.isDone(1));
        backend.completeAll();
        work();
        assertEquals(4 * KIB, callback.result(1));
        assertEquals(1, backend.submissions.size());
    }

    @Test
    void shouldCancelInFlightRequestOnceItsIoReturns()
    {
        start(new DeviceContext());
        final long id = read(0, 4 * KIB, 1);
        work();
        scheduler.cancel(id);
        work();
        assertFalse(callback.isDone(1));
        assertEquals(1, backend.cancelAttempts.size());
        backend.completeAll();
        work();
        assertEquals(IoStatus.CANCELLED, callback.result(1));
        assertEquals(1, device.metrics().counter(DeviceCounter.CANCELLED));
    }

    @Test
    void shouldIgnoreCancelOfCompletedOrUnknownRequest()
    {
        start(new DeviceContext());
        final long id = read(0, 4 * KIB, 1);
        work();
        backend.completeAll();
        work();
        scheduler.cancel(id);
        scheduler.cancel(id + 12345);
        scheduler.cancel(-5);
        work();
        assertEquals(4 * KIB, callback.result(1));
        assertEquals(1, callback.count());
    }

    @Test
    void shouldCompleteFutureExceptionallyWithErrnoName()
    {
        start(new DeviceContext());
        final IoFuture ok = scheduler.read(t0, 0, buffer.asSlice(0, 4096), Priority.LATENCY);
        final IoFuture failed = scheduler.read(t0, MIB, buffer.asSlice(0, 4096), Priority.LATENCY);
        work();
        backend.completeOldest();
        backend.complete(backend.oldestInFlight(), -Errno.ENOSPC);
        work();
        assertEquals(4096L, ok.join());
        final Throwable cause = assertThrows(java.util.concurrent.CompletionException.class, failed::join).getCause();
        assertEquals("ENOSPC", ((ConduitException)cause).nativeName());
        assertTrue(cause.getMessage().contains("off=" + MIB), cause.getMessage());
    }

    @Test
    void shouldCancelFutureAndReportCancellation()
    {
        start(new DeviceContext().queueDepth(1));
        read(0, 4 * KIB, 1);
        final IoFuture future = scheduler.read(t0, MIB, buffer.asSlice(0, 4096), Priority.LATENCY);
        work();
        assertTrue(future.cancel(true));
        work();
        assertTrue(future.isCancelled());
        assertFalse(future.cancel(true), "already done");
    }

    // ------------------------------------------------------------------ backpressure

    @Test
    void shouldRejectOrFailFastWhenRingIsFull()
    {
        start(new DeviceContext().ringSize(4));
        for (int i = 0; i < 4; i++)
        {
            assertTrue(scheduler.trySubmit(request.read(t0, i * MIB, buffer, 0, 4096), callback, i) >= 0);
        }
        assertEquals(IoStatus.REJECTED, scheduler.trySubmit(request.read(t0, 9 * MIB, buffer, 0, 4096), callback, 9));
        assertEquals(1, device.metrics().counter(DeviceCounter.REJECTED));
        final ConduitException e = assertThrows(ConduitException.class, () -> scheduler.submit(request, callback, 9));
        assertEquals(ErrorCode.RING_FULL, e.code(), "INVOKER mode cannot wait for itself");

        work();
        assertTrue(scheduler.trySubmit(request, callback, 9) >= 0, "space again once the device polled");
        drainOneAtATime(5);
    }

    @Test
    void shouldStopTakingEventsWhenRequestPoolIsFull()
    {
        start(new DeviceContext().ringSize(4).maxRequests(2).queueDepth(1));
        long accepted = 0;
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                if (scheduler.trySubmit(request.read(t0, (round * 8 + i) * MIB, buffer, 0, 4096), callback,
                    round * 8 + i) >= 0)
                {
                    accepted++;
                }
            }
            work();
            assertTrue(device.agent().liveRequests() <= 2, "request pool bound");
            assertTrue(accepted - callback.count() <= 2 + 4, "admitted + ring-held requests are bounded");
        }
        final long rejected = device.metrics().counter(DeviceCounter.REJECTED);
        assertEquals(40, accepted + rejected);
        assertTrue(rejected > 0);
        drainOneAtATime((int)accepted);
    }

    // ------------------------------------------------------------------ validation, metrics, shutdown

    @Test
    void shouldRejectMalformedRequests()
    {
        start(new DeviceContext());
        final TargetHandle direct = device.attach(new SizedTarget("direct", MIB, 4096));
        final TargetHandle foreign;
        try (IoScheduler other = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER)))
        {
            foreign = other.addDevice("other", new ManualBackend(4)).attach(new SizedTarget("x", MIB, 1));
        }
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(direct, 512, buffer, 0, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(direct, 0, buffer, 1, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(direct, 0, buffer, 0, 4000), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(direct, MIB - 4096, buffer, 0, 8192), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(t0, 0, buffer, buffer.byteSize() - 10, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(t0, 0, MemorySegment.ofArray(new byte[4096]), 0, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> scheduler.submit(request.read(t0, -1, buffer, 0, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class,
            () -> device.submit(request.read(foreign, 0, buffer, 0, 4096), callback, 0));
        assertThrows(IllegalArgumentException.class, () -> scheduler.submit(new IoRequest(), callback, 0));
        work();
        assertEquals(0, callback.count());
        assertEquals(0, backend.submissions.size());
    }

    @Test
    void shouldCompleteZeroLengthRequestWithoutIo()
    {
        start(new DeviceContext());
        read(0, 0, 1);
        work();
        assertEquals(0, callback.result(1));
        assertEquals(0, backend.submissions.size());
    }

    @Test
    void shouldRecordLatencyBytesAndRequestsPerClass()
    {
        start(new DeviceContext());
        read(t0, 0, 0, 8 * KIB, Priority.LATENCY, 1);
        read(t0, MIB, 0, 4 * KIB, Priority.BULK, 2);
        work();
        clock.advanceNs(5_000);
        backend.completeAll();
        work();

        final DeviceMetrics metrics = device.metrics();
        assertEquals(1, metrics.counter(Priority.LATENCY, DeviceCounter.REQUESTS));
        assertEquals(8 * KIB, metrics.counter(Priority.LATENCY, DeviceCounter.BYTES));
        assertEquals(4 * KIB, metrics.counter(Priority.BULK, DeviceCounter.BYTES));
        assertEquals(2, metrics.counter(DeviceCounter.TASKS));
        final Histogram latency = metrics.latencyInterval(Priority.LATENCY, null);
        assertEquals(1, latency.getTotalCount());
        assertTrue(Math.abs(latency.getValueAtPercentile(99) - 5_000) <= 5, "p99 " + latency.getValueAtPercentile(99));
        assertEquals(0, metrics.latencyInterval(Priority.LATENCY, latency).getTotalCount(), "interval was reset");
        assertEquals(0, metrics.inFlightTasks());
    }

    @Test
    void shouldFailQueuedRequestsWithShutdownWhenDrainTimesOutAndFinishIoInFlight()
    {
        start(new DeviceContext().queueDepth(1), 0);
        read(0, 4 * KIB, 1);
        read(MIB, 4 * KIB, 2);
        read(2 * MIB, 4 * KIB, 3);
        work();
        backend.completeOnPoll = true;
        scheduler.close();

        assertEquals(4 * KIB, callback.result(1), "the I/O in flight finished");
        final List<Long> shutDown = new ArrayList<>(List.of(callback.result(2), callback.result(3)));
        assertEquals(List.of(IoStatus.SHUTDOWN, IoStatus.SHUTDOWN), shutDown);
        final ConduitException e = assertThrows(ConduitException.class, () -> read(0, 4096, 4));
        assertEquals(ErrorCode.SCHEDULER_CLOSED, e.code());
    }
}
