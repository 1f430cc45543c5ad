package dev.conduit.nativebindings.uring;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transient results io_uring hands back, produced against real descriptors rather than
 * simulated: {@code -EAGAIN} from a read that may not wait on an empty pipe (and what an
 * {@code O_NONBLOCK} pipe does instead), a short read from a pipe holding fewer bytes than asked,
 * {@code EINTR} from io_uring_enter when a signal reaches the waiting thread, and a completion queue
 * that overflows because nobody reaps it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringTransientErrorTest
{
    private static final long SYS_GETTID = Platform.isAarch64() ? 178 : 186;
    private static final long SYS_TGKILL = Platform.isAarch64() ? 131 : 234;
    /** The JVM installs a handler for SIGPIPE that ignores it, so sending it only interrupts a system call. */
    private static final int SIGPIPE = 13;
    /** preadv2(2) flag: fail with EAGAIN rather than wait for data. */
    private static final int RWF_NOWAIT = 0x8;
    /** A pipe is a stream: reads ignore the offset, -1 means "the current position" as read(2). */
    private static final long STREAM_OFFSET = -1;

    @Test
    void shouldCompleteWithEagainWhenAReadThatMayNotWaitFindsThePipeEmpty()
    {
        // RWF_NOWAIT: "do not wait for data"; IoUring's prep calls do not set it, so the raw queue does.
        try (TestPipe pipe = TestPipe.open(0); RawRing raw = RawRing.create(2); Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(4096);
            raw.sq.prepare(IoUringOpcode.READ, 0, pipe.readFd, STREAM_OFFSET, buffer.address(), 4096, RWF_NOWAIT, 0, 1);
            assertEquals(1, raw.submitter.submitAndAwait(1, 1));
            final CompletionRecorder recorder = new CompletionRecorder();
            raw.cq.reap(recorder, 1);
            assertEquals(-Errno.EAGAIN, recorder.result(1));
        }
    }

    @Test
    void shouldWaitForDataRatherThanCompleteWithEagainWhenAnEmptyPipeIsOnlyNonBlocking()
    {
        // Kernels differ here: io_uring may complete -EAGAIN at once for an O_NONBLOCK file, or arm
        // a poll and complete when data arrives (6.x). Either way nothing is lost; which one is asserted.
        try (TestPipe pipe = TestPipe.open(LibC.O_NONBLOCK);
            IoUring ring = IoUring.create(4);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(4096);
            assertTrue(ring.tryPrepRead(pipe.readFd, buffer, STREAM_OFFSET, IoUring.NO_SQE_FLAGS, 1));
            assertEquals(1, ring.submit());
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            while (ring.readyCompletions() == 0 && System.nanoTime() - deadlineNs < 0)
            {
                Thread.yield();
            }
            final boolean completedWhileEmpty = ring.readyCompletions() > 0;
            final MemorySegment data = pattern(arena, 64);
            pipe.write(data);
            final int result = new CompletionRecorder().drain(ring).result(1);
            if (completedWhileEmpty)
            {
                assertEquals(-Errno.EAGAIN, result);
            }
            else
            {
                assertEquals(64, result, "the read waited for the data");
                assertEquals(-1, data.mismatch(buffer.asSlice(0, 64)));
            }
        }
    }

    @Test
    void shouldReadShortWhenThePipeHoldsFewerBytesThanAsked()
    {
        try (TestPipe pipe = TestPipe.open(0);
            IoUring ring = IoUring.create(4);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment data = pattern(arena, 100);
            pipe.write(data);
            final MemorySegment buffer = arena.allocate(4096);
            assertTrue(ring.tryPrepRead(pipe.readFd, buffer, STREAM_OFFSET, IoUring.NO_SQE_FLAGS, 1));
            final CompletionRecorder recorder = new CompletionRecorder().drain(ring);
            assertEquals(100, recorder.result(1), "a read returns what the pipe holds, not what was asked");
            assertEquals(-1, data.mismatch(buffer.asSlice(0, 100)));
        }
    }

    @Test
    void shouldReturnEintrFromEnterWhenASignalReachesTheWaitingThread() throws InterruptedException
    {
        // The raw system call, to show what the kernel does; the next test shows that IoUring rides through it.
        try (TestPipe pipe = TestPipe.open(0); Arena arena = Arena.ofShared())
        {
            final Waiter waiter = new Waiter(pipe, arena.allocate(4096), ring ->
            {
                assertEquals(1, ring.submit());
                final int rc = IoUringSyscall.enter(ring.fd(), 0, 1, IoUringSyscall.IORING_ENTER_GETEVENTS);
                pipe.write(pattern(arena, 1));
                return rc;
            });
            waiter.awaitInEnter();
            waiter.signal();
            waiter.join();
            assertEquals(-Errno.EINTR, waiter.result.get(), "io_uring_enter was interrupted, not restarted");
        }
    }

    @Test
    void shouldKeepWaitingThroughSignalsWhenSubmitAndWaitIsInterrupted() throws InterruptedException
    {
        try (TestPipe pipe = TestPipe.open(0); Arena arena = Arena.ofShared())
        {
            final MemorySegment buffer = arena.allocate(4096);
            final Waiter waiter = new Waiter(pipe, buffer, ring ->
            {
                assertEquals(1, ring.submitAndWait(1));
                return new CompletionRecorder().drain(ring).result(1);
            });
            for (int i = 0; i < 3; i++)
            {
                waiter.awaitInEnter();
                waiter.signal();
                // Bounded: the thread either re-enters io_uring_enter or has failed (the join below reports it).
                Thread.sleep(20);
            }
            waiter.awaitInEnter();
            final MemorySegment data = pattern(arena, 64);
            pipe.write(data);
            waiter.join();
            assertEquals(64, waiter.result.get(), "the wait survived three EINTRs and saw the read complete");
            assertEquals(-1, data.mismatch(buffer.asSlice(0, 64)));
        }
    }

    @Test
    void shouldDeliverEveryCompletionOnceWhenTheCompletionQueueOverflows()
    {
        // IoUring never lets the CQ overflow (capacity bounds what is in flight), so this drives the
        // same SubmissionQueue, CompletionQueue and RingSubmitter directly, without that bound.
        try (RawRing raw = RawRing.create(2))
        {
            final int cqEntries = raw.cqEntries;
            final int total = cqEntries * 2;
            int inFlight = 0;
            int submitted = 0;
            for (int i = 0; i < total; i++)
            {
                raw.sq.prepare(IoUringOpcode.NOP, 0, -1, 0, 0, 0, 0, 0, i);
                inFlight++;
                if (raw.sq.unpublished() == 2)
                {
                    submitted += raw.submitter.submitAndAwait(0, inFlight);
                }
            }
            assertEquals(total, submitted, "the submitter got every SQE in, backlog or not");
            assertEquals(cqEntries, raw.cq.ready(), "the CQ is full");
            assertTrue((raw.sq.flags() & IoUringParamsDescriptor.IORING_SQ_CQ_OVERFLOW) != 0, "the rest waits in the backlog");

            final int rc = IoUringSyscall.enter(raw.ringFd, 0, 0, IoUringSyscall.IORING_ENTER_GETEVENTS);
            assertTrue(rc == 0 || rc == -Errno.EBUSY, "a full CQ with a backlog: 0 or EBUSY, got " + rc);

            final CompletionRecorder recorder = new CompletionRecorder();
            for (int round = 0; round < total && recorder.results().size() < total; round++)
            {
                raw.submitter.flushCompletionsIfNeeded();
                raw.cq.reap(recorder, Integer.MAX_VALUE);
            }
            assertEquals(total, recorder.results().size(), "every NOP completed exactly once");
            assertEquals(0, raw.cq.overflow(), "nothing was dropped");
            assertEquals(0, raw.sq.flags() & IoUringParamsDescriptor.IORING_SQ_CQ_OVERFLOW, "the backlog is empty");
        }
    }

    private static MemorySegment pattern(final Arena arena, final int bytes)
    {
        final MemorySegment data = arena.allocate(bytes);
        for (int i = 0; i < bytes; i++)
        {
            data.set(JAVA_BYTE, i, (byte)(i * 31 + 7));
        }
        return data;
    }

    /** A ring's queues and submitter without IoUring's in-flight bound and prep checks, for what IoUring never does. */
    private static final class RawRing implements AutoCloseable
    {
        final int ringFd;
        final int cqEntries;
        final RingMapping mapping;
        final SubmissionQueue sq;
        final CompletionQueue cq;
        final RingSubmitter submitter;

        private RawRing(final int ringFd, final MemorySegment params)
        {
            this.ringFd = ringFd;
            this.cqEntries = IoUringParamsDescriptor.cqEntries(params);
            this.mapping = RingMapping.map(ringFd, params);
            this.sq = new SubmissionQueue(mapping.sqRing(), mapping.sqes(), params);
            this.cq = new CompletionQueue(mapping.cqRing(), params);
            this.submitter = new RingSubmitter(ringFd, sq, cq, false);
        }

        static RawRing create(final int entries)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment params = arena.allocate(IoUringParamsDescriptor.LAYOUT);
                final int ringFd = IoUringSyscall.setup(entries, params);
                assertTrue(ringFd >= 0, "io_uring_setup: " + ringFd);
                return new RawRing(ringFd, params);
            }
        }

        @Override
        public void close()
        {
            // Every test here reaps what it submitted, so nothing is in flight when the ring goes.
            mapping.close();
            LibC.close(ringFd);
        }
    }

    /**
     * A thread that prepares a read of {@code pipe} on its own ring, then blocks in io_uring_enter
     * through {@code wait}, with what tests need to find it there and signal it.
     */
    private static final class Waiter
    {
        final AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile long tid;

        Waiter(final TestPipe pipe, final MemorySegment buffer, final ToIntFunction<IoUring> wait)
        {
            thread = Thread.ofPlatform().name("uring-waiter").start(() ->
            {
                tid = LibC.syscall(SYS_GETTID, 0, 0, 0, 0, 0, 0);
                try (IoUring ring = IoUring.create(4))
                {
                    assertTrue(ring.tryPrepRead(pipe.readFd, buffer, STREAM_OFFSET, IoUring.NO_SQE_FLAGS, 1));
                    result.set(wait.applyAsInt(ring));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
        }

        /** Polls /proc until the thread sits in io_uring_enter (bounded by the test's timeout). */
        void awaitInEnter()
        {
            while (true)
            {
                if (tid != 0 && inEnter())
                {
                    return;
                }
                if (!thread.isAlive())
                {
                    throw new AssertionError("waiter ended early", failure.get());
                }
                Thread.onSpinWait();
            }
        }

        private boolean inEnter()
        {
            try
            {
                final String syscall = Files.readString(Path.of("/proc/self/task/" + tid + "/syscall"));
                return syscall.startsWith(IoUringSyscall.SYS_IO_URING_ENTER + " ");
            }
            catch (final IOException e)
            {
                return false;
            }
        }

        void signal()
        {
            final long rc = LibC.syscall(SYS_TGKILL, ProcessHandle.current().pid(), tid, SIGPIPE, 0, 0, 0);
            assertEquals(0, rc, "tgkill");
        }

        void join() throws InterruptedException
        {
            thread.join();
            assertNull(failure.get(), () -> "waiter failed: " + failure.get());
        }
    }
}
