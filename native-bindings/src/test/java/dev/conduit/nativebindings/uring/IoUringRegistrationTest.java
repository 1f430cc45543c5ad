package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.PosixFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registered buffers (READ_FIXED / WRITE_FIXED) and registered files (IOSQE_FIXED_FILE) with O_DIRECT. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringRegistrationTest
{
    private static final int BLOCK_BYTES = 4096;
    private static final long BUFFER_BYTES = 16L * BLOCK_BYTES;

    @TempDir(factory = DirectIoTempDirFactory.class)
    Path dir;

    @Test
    void shouldRoundTripThroughRegisteredBuffersWhenUsingWriteFixedAndReadFixed()
    {
        try (Arena arena = Arena.ofShared();
            PosixFile file = PosixFile.open(dir.resolve("fixed.bin"), LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0644);
            IoUring ring = IoUring.create(8))
        {
            final MemorySegment source = arena.allocate(BUFFER_BYTES, BLOCK_BYTES);
            final MemorySegment target = arena.allocate(BUFFER_BYTES, BLOCK_BYTES);
            TestPattern.fill(3, source, 0);
            ring.registerBuffers(source, target);

            // Two writes from slices of registered buffer 0, then reads into slices of buffer 1.
            final long half = BUFFER_BYTES / 2;
            assertTrue(ring.tryPrepWriteFixed(file.fd(), source.asSlice(0, half), 0, 0, IoUring.NO_SQE_FLAGS, 1));
            assertTrue(ring.tryPrepWriteFixed(file.fd(), source.asSlice(half, half), half, 0, IoUring.NO_SQE_FLAGS, 2));
            final CompletionRecorder writes = new CompletionRecorder().drain(ring);
            assertEquals((int)half, writes.result(1), CompletionResult.errnoName(writes.result(1)));
            assertEquals((int)half, writes.result(2), CompletionResult.errnoName(writes.result(2)));

            assertTrue(ring.tryPrepReadFixed(file.fd(), target.asSlice(half, half), half, 1, IoUring.NO_SQE_FLAGS, 3));
            assertTrue(ring.tryPrepReadFixed(file.fd(), target.asSlice(0, half), 0, 1, IoUring.NO_SQE_FLAGS, 4));
            final CompletionRecorder reads = new CompletionRecorder().drain(ring);
            assertEquals((int)half, reads.result(3), CompletionResult.errnoName(reads.result(3)));
            assertEquals((int)half, reads.result(4), CompletionResult.errnoName(reads.result(4)));

            assertEquals(-1, TestPattern.firstMismatch(3, target, 0));
            ring.unregisterBuffers();
        }
    }

    @Test
    void shouldFailReadFixedWithEfaultWhenBufferIsOutsideTheRegisteredOne()
    {
        try (Arena arena = Arena.ofShared();
            PosixFile file = PosixFile.open(dir.resolve("efault.bin"), LibC.O_RDWR | LibC.O_CREAT, 0644);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment registered = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            final MemorySegment other = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            ring.registerBuffers(registered);

            assertTrue(ring.tryPrepReadFixed(file.fd(), other, 0, 0, IoUring.NO_SQE_FLAGS, 1));

            assertEquals(-Errno.EFAULT, new CompletionRecorder().drain(ring).result(1));
        }
    }

    @Test
    void shouldRefuseSecondBufferRegistrationWithEbusy()
    {
        try (Arena arena = Arena.ofShared(); IoUring ring = IoUring.create(2))
        {
            final MemorySegment buffer = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            ring.registerBuffers(buffer);

            final NativeException ex = assertThrows(NativeException.class, () -> ring.registerBuffers(buffer));

            assertEquals("EBUSY", ex.nativeName());
        }
    }

    @Test
    void shouldReadByRegisteredIndexWhenFixedFileFlagIsSetEvenAfterFdsAreClosed()
    {
        final Path first = dir.resolve("first.bin");
        final Path second = dir.resolve("second.bin");
        TestPattern.writeFile(10, first, 4L * BLOCK_BYTES);
        TestPattern.writeFile(20, second, 4L * BLOCK_BYTES);
        try (Arena arena = Arena.ofConfined(); IoUring ring = IoUring.create(4))
        {
            try (PosixFile a = PosixFile.open(first, LibC.O_RDONLY | LibC.O_DIRECT, 0);
                PosixFile b = PosixFile.open(second, LibC.O_RDONLY | LibC.O_DIRECT, 0))
            {
                ring.registerFiles(a.fd(), b.fd());
            }
            final MemorySegment fromFirst = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            final MemorySegment fromSecond = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);

            assertTrue(ring.tryPrepRead(1, fromSecond, 2L * BLOCK_BYTES, SqeDescriptor.IOSQE_FIXED_FILE, 2));
            assertTrue(ring.tryPrepRead(0, fromFirst, BLOCK_BYTES, SqeDescriptor.IOSQE_FIXED_FILE, 1));
            final CompletionRecorder recorder = new CompletionRecorder().drain(ring);

            assertEquals(BLOCK_BYTES, recorder.result(1), CompletionResult.errnoName(recorder.result(1)));
            assertEquals(BLOCK_BYTES, recorder.result(2), CompletionResult.errnoName(recorder.result(2)));
            assertEquals(-1, TestPattern.firstMismatch(10, fromFirst, BLOCK_BYTES));
            assertEquals(-1, TestPattern.firstMismatch(20, fromSecond, 2L * BLOCK_BYTES));
        }
    }

    @Test
    void shouldFailFixedFileRequestWithEbadfWhenFilesAreUnregistered()
    {
        final Path path = dir.resolve("unregistered.bin");
        TestPattern.writeFile(30, path, BLOCK_BYTES);
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(path, LibC.O_RDONLY, 0);
            IoUring ring = IoUring.create(2))
        {
            ring.registerFiles(file.fd());
            ring.unregisterFiles();

            assertTrue(ring.tryPrepRead(0, arena.allocate(BLOCK_BYTES, 8), 0, SqeDescriptor.IOSQE_FIXED_FILE, 1));

            assertEquals(-Errno.EBADF, new CompletionRecorder().drain(ring).result(1));
        }
    }
}
