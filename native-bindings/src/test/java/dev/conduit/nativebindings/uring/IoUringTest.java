package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.IovecDescriptor;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Ring lifecycle, NOP, vectored and synced I/O, backpressure and misuse, on the real kernel. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringTest
{
    private static final int BLOCK_BYTES = 4096;

    @TempDir
    Path dir;

    @Test
    void shouldEchoUserDataWhenNopsComplete()
    {
        try (IoUring ring = IoUring.create(8))
        {
            assertTrue(ring.tryPrepNop(Long.MIN_VALUE));
            assertTrue(ring.tryPrepNop(-1L));
            assertTrue(ring.tryPrepNop(42L));

            assertEquals(3, ring.submitAndWait(3));
            final CompletionRecorder recorder = new CompletionRecorder();
            assertEquals(3, ring.reap(recorder));

            assertEquals(Set.of(Long.MIN_VALUE, -1L, 42L), recorder.results().keySet());
            recorder.results().values().forEach(result -> assertEquals(0, result));
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void shouldRefuseRequestBeyondCapacityWhenRingIsFull()
    {
        final int entries = 8;
        try (IoUring ring = IoUring.create(entries))
        {
            for (int i = 0; i < entries; i++)
            {
                assertTrue(ring.tryPrepNop(i));
            }
            assertFalse(ring.tryPrepNop(entries), "N+1th request while N in flight");
            assertEquals(entries, ring.inFlight());
            assertEquals(0, ring.remainingCapacity());

            assertEquals(entries, ring.submitAndWait(entries));
            assertFalse(ring.tryPrepNop(entries), "completed but unreaped requests still count as in flight");
            assertFalse(ring.isCqOverflowPending());
            assertEquals(0, ring.cqOverflowCount());

            final CompletionRecorder recorder = new CompletionRecorder();
            assertEquals(1, ring.reap(recorder, 1));
            assertTrue(ring.tryPrepNop(entries), "one slot is free after reaping one");
            assertFalse(ring.tryPrepNop(entries + 1));

            recorder.drain(ring);
            assertEquals(entries + 1, recorder.results().size());
        }
    }

    @Test
    void shouldBoundInFlightByRequestedEntriesWhenKernelRoundsRingUp()
    {
        try (IoUring ring = IoUring.create(5))
        {
            assertEquals(8, ring.sqEntries());
            assertEquals(5, ring.capacity());
            for (int i = 0; i < 5; i++)
            {
                assertTrue(ring.tryPrepNop(i));
            }
            assertFalse(ring.tryPrepNop(5));
            new CompletionRecorder().drain(ring);
        }
    }

    @Test
    void shouldCapWaitAtInFlightWhenMinCompleteExceedsIt()
    {
        try (IoUring ring = IoUring.create(8))
        {
            assertTrue(ring.tryPrepNop(1));
            assertTrue(ring.tryPrepNop(2));

            assertEquals(2, ring.submitAndWait(100));

            assertEquals(2, ring.readyCompletions());
            assertEquals(2, ring.reap(new CompletionRecorder()));
        }
    }

    @Test
    void shouldKeepRequestsQueuedUntilSubmitWhenOnlyPrepared()
    {
        try (IoUring ring = IoUring.create(4))
        {
            assertTrue(ring.tryPrepNop(7));

            assertEquals(0, ring.reap(new CompletionRecorder()));
            assertEquals(1, ring.submit());
            assertEquals(0, ring.submit(), "nothing left to submit");

            assertEquals(7L, new CompletionRecorder().drain(ring).results().keySet().iterator().next());
        }
    }

    @Test
    void shouldReadBackWhatWritevWroteWhenUsingReadv()
    {
        final int[] lengths = {BLOCK_BYTES, 512, 3 * BLOCK_BYTES};
        final long fileOffset = 8192;
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(dir.resolve("vectored.bin"), LibC.O_RDWR | LibC.O_CREAT, 0644);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment writeIovecs = arena.allocate(IovecDescriptor.LAYOUT, lengths.length);
            final MemorySegment readIovecs = arena.allocate(IovecDescriptor.LAYOUT, lengths.length);
            final MemorySegment[] sources = new MemorySegment[lengths.length];
            final MemorySegment[] targets = new MemorySegment[lengths.length];
            long position = fileOffset;
            for (int i = 0; i < lengths.length; i++)
            {
                sources[i] = arena.allocate(lengths[i], 8);
                targets[i] = arena.allocate(lengths[i], 8);
                TestPattern.fill(1, sources[i], position);
                IovecDescriptor.set(writeIovecs, i, sources[i]);
                IovecDescriptor.set(readIovecs, i, targets[i]);
                position += lengths[i];
            }
            final int total = (int)(position - fileOffset);

            assertTrue(ring.tryPrepWritev(file.fd(), writeIovecs, lengths.length, fileOffset, IoUring.NO_SQE_FLAGS, 1));
            assertEquals(total, new CompletionRecorder().drain(ring).result(1));
            assertTrue(ring.tryPrepReadv(file.fd(), readIovecs, lengths.length, fileOffset, IoUring.NO_SQE_FLAGS, 2));
            assertEquals(total, new CompletionRecorder().drain(ring).result(2));

            position = fileOffset;
            for (int i = 0; i < lengths.length; i++)
            {
                assertEquals(-1, targets[i].mismatch(sources[i]), "iovec " + i);
                assertEquals(-1, TestPattern.firstMismatch(1, targets[i], position));
                position += lengths[i];
            }
        }
    }

    @Test
    void shouldPersistDataWhenWriteIsLinkedToFsync()
    {
        final Path path = dir.resolve("synced.bin");
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(path, LibC.O_RDWR | LibC.O_CREAT, 0644);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment source = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            TestPattern.fill(2, source, 0);

            assertTrue(ring.tryPrepWrite(file.fd(), source, 0, SqeDescriptor.IOSQE_IO_LINK, 1));
            assertTrue(ring.tryPrepFsync(file.fd(), false, SqeDescriptor.IOSQE_IO_LINK, 2));
            assertTrue(ring.tryPrepFsync(file.fd(), true, IoUring.NO_SQE_FLAGS, 3));
            final CompletionRecorder recorder = new CompletionRecorder().drain(ring);

            assertEquals(BLOCK_BYTES, recorder.result(1));
            assertEquals(0, recorder.result(2), "fsync");
            assertEquals(0, recorder.result(3), "fdatasync");
            final MemorySegment readBack = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            assertEquals(BLOCK_BYTES, file.readFully(readBack, 0));
            assertEquals(-1, TestPattern.firstMismatch(2, readBack, 0));
        }
    }

    @Test
    void shouldReportReadAndWriteOpcodesWhenProbed()
    {
        try (IoUring ring = IoUring.create(2))
        {
            final SupportedOpcodes opcodes = ring.probeOpcodes();

            assertTrue(opcodes.isSupported(IoUringOpcode.READ));
            assertTrue(opcodes.isSupported(IoUringOpcode.WRITE_FIXED));
            assertFalse(opcodes.isSupported(255));
            assertTrue(opcodes.names().containsAll(Set.of("NOP", "READ", "WRITE", "READV", "WRITEV", "FSYNC",
                "READ_FIXED", "WRITE_FIXED")), opcodes.toString());
            assertTrue(opcodes.lastOpcode() >= IoUringOpcode.WRITE);
        }
    }

    @Test
    void shouldFailFastWithClearCodeWhenUsedAfterClose()
    {
        final IoUring ring = IoUring.create(2);
        ring.close();

        assertTrue(ring.isClosed());
        for (final Runnable use : new Runnable[] {
            () -> ring.tryPrepNop(1), ring::submit, () -> ring.submitAndWait(1), () -> ring.reap(new CompletionRecorder()),
            ring::probeOpcodes, () -> ring.registerFiles(0), ring::readyCompletions})
        {
            final ConduitException ex = assertThrows(ConduitException.class, use::run);
            assertEquals(ErrorCode.IO_URING_CLOSED, ex.code());
        }
        assertDoesNotThrow(ring::close, "second close");
    }

    @Test
    void shouldCloseCleanlyWhenRequestsAreStillInFlight()
    {
        final IoUring ring = IoUring.create(8);
        for (int i = 0; i < 6; i++)
        {
            assertTrue(ring.tryPrepNop(i));
        }
        ring.submit();
        assertTrue(ring.tryPrepNop(6), "prepared, never submitted");

        assertDoesNotThrow(ring::close);
        assertTrue(ring.isClosed());
    }

    @Test
    void shouldRejectUnsupportedSqeFlagsWithoutUsingASlot()
    {
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.create(2))
        {
            final MemorySegment buffer = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);

            assertThrows(IllegalArgumentException.class,
                () -> ring.tryPrepRead(0, buffer, 0, SqeDescriptor.IOSQE_CQE_SKIP_SUCCESS, 1));
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void shouldRejectHeapSegmentWhenPreparingIo()
    {
        try (IoUring ring = IoUring.create(2))
        {
            final MemorySegment heap = MemorySegment.ofArray(new byte[BLOCK_BYTES]);

            assertThrows(IllegalArgumentException.class, () -> ring.tryPrepRead(0, heap, 0, IoUring.NO_SQE_FLAGS, 1));
            assertThrows(IllegalArgumentException.class, () -> ring.registerBuffers(heap));
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void shouldDeliverACompletionFinishedByAnotherThreadToAnOwnerThatOnlyReaps() throws InterruptedException
    {
        try (Arena arena = Arena.ofShared(); IoUring ring = IoUring.createCooperative(4))
        {
            assumeTrue(ring.setupFlags() != 0, "kernel refuses COOP_TASKRUN (before 5.19)");
            final MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, LibC.pipe2(fds, LibC.O_CLOEXEC));
            final int readFd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            final int writeFd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            try
            {
                final MemorySegment buffer = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
                final MemorySegment data = arena.allocate(16);
                data.fill((byte)7);
                // The read waits on the empty pipe, so its completion is task work queued by the writer's wake-up.
                assertTrue(ring.tryPrepRead(readFd, buffer, 0, IoUring.NO_SQE_FLAGS, 9));
                assertEquals(1, ring.submit());
                final Thread writer = Thread.ofPlatform().start(() -> LibC.write(writeFd, data, 16));
                writer.join();
                final CompletionRecorder recorder = new CompletionRecorder();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ring.reap(recorder) == 0 && System.nanoTime() < deadline)
                {
                    Thread.onSpinWait();
                }
                assertEquals(16, recorder.results().get(9L), "the reaping owner ran the deferred completion");
                assertEquals(-1, buffer.asSlice(0, 16).mismatch(data));
            }
            finally
            {
                LibC.close(readFd);
                LibC.close(writeFd);
            }
        }
    }

    @Test
    void shouldMakeTheFirstThreadThatEntersADeferredRingItsOnlyIssuer() throws InterruptedException
    {
        try (IoUring ring = IoUring.createCooperative(4))
        {
            assumeTrue(ring.setupFlags() == IoUring.DEFERRED_FLAGS, "kernel refuses DEFER_TASKRUN (before 6.1)");
            // Created here, entered first by the owner thread: the ring is enabled for the owner, not the creator.
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicReference<Integer> echoed = new AtomicReference<>();
            final Thread owner = Thread.ofPlatform().start(() ->
            {
                try
                {
                    assertTrue(ring.tryPrepNop(5));
                    assertEquals(1, ring.submitAndWait(1));
                    final CompletionRecorder recorder = new CompletionRecorder();
                    assertEquals(1, ring.reap(recorder));
                    echoed.set(recorder.results().get(5L));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            owner.join();
            assertEquals(null, failure.get());
            assertEquals(0, echoed.get());
            // The kernel itself refuses another thread: io_uring_enter answers EEXIST.
            assertEquals(-Errno.EEXIST,
                IoUringSyscall.enter(ring.fd(), 0, 0, IoUringSyscall.IORING_ENTER_GETEVENTS));
        }
    }

    @Test
    void shouldRejectEntriesOutsideKernelRange()
    {
        assertThrows(IllegalArgumentException.class, () -> IoUring.create(0));
        assertThrows(IllegalArgumentException.class, () -> IoUring.create(IoUringSyscall.IORING_MAX_ENTRIES + 1));
    }

    @Test
    void shouldAssertOwnerThreadWhenUsedFromSecondThread() throws InterruptedException
    {
        assumeTrue(IoUring.class.desiredAssertionStatus(), "needs -ea");
        try (IoUring ring = IoUring.create(4))
        {
            assertTrue(ring.tryPrepNop(1));
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread intruder = new Thread(() ->
            {
                try
                {
                    ring.tryPrepNop(2);
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            }, "intruder");
            intruder.start();
            intruder.join();

            assertInstanceOf(AssertionError.class, failure.get());
            assertEquals(1, ring.inFlight());
            new CompletionRecorder().drain(ring);
        }
    }
}
