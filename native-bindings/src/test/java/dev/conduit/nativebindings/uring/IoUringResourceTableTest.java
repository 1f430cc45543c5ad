package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sparse buffer and file tables filled and emptied slot by slot while the ring is in use. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringResourceTableTest
{
    private static final int BLOCK_BYTES = 4096;
    private static final long FILE_BYTES = 8L * BLOCK_BYTES;

    @TempDir(factory = DirectIoTempDirFactory.class)
    Path dir;

    @Test
    void shouldReadFixedFromAnUpdatedSlotAndFailOnceTheSlotIsEmptied()
    {
        final Path path = dir.resolve("sparse-buffers.bin");
        TestPattern.writeFile(7, path, FILE_BYTES);
        try (Arena arena = Arena.ofShared();
            PosixFile file = PosixFile.open(path, LibC.O_RDWR | LibC.O_DIRECT, 0644);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment buffer = arena.allocate(FILE_BYTES, BLOCK_BYTES);
            ring.registerSparseBuffers(8);
            ring.updateBuffer(5, buffer);

            assertTrue(ring.tryPrepReadFixed(file.fd(), buffer.asSlice(BLOCK_BYTES), BLOCK_BYTES, 5,
                IoUring.NO_SQE_FLAGS, 1));
            final CompletionRecorder read = new CompletionRecorder().drain(ring);
            assertEquals((int)(FILE_BYTES - BLOCK_BYTES), read.result(1), CompletionResult.errnoName(read.result(1)));
            assertEquals(-1, TestPattern.firstMismatch(7, buffer.asSlice(BLOCK_BYTES), BLOCK_BYTES));

            ring.updateBuffer(5, MemorySegment.NULL);
            assertTrue(ring.tryPrepReadFixed(file.fd(), buffer, 0, 5, IoUring.NO_SQE_FLAGS, 2));
            final int emptied = new CompletionRecorder().drain(ring).result(2);
            assertTrue(emptied < 0, "READ_FIXED on an emptied slot must fail, got " + emptied);
        }
    }

    @Test
    void shouldServeFixedFileFromAnUpdatedSlotAndFailOnceTheSlotIsEmptied()
    {
        final Path path = dir.resolve("sparse-files.bin");
        TestPattern.writeFile(9, path, FILE_BYTES);
        try (Arena arena = Arena.ofShared();
            PosixFile file = PosixFile.open(path, LibC.O_RDWR | LibC.O_DIRECT, 0644);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment buffer = arena.allocate(BLOCK_BYTES, BLOCK_BYTES);
            ring.registerSparseFiles(4);
            ring.updateFile(3, file.fd());

            assertTrue(ring.tryPrepRead(3, buffer, 2L * BLOCK_BYTES, SqeDescriptor.IOSQE_FIXED_FILE, 1));
            final CompletionRecorder read = new CompletionRecorder().drain(ring);
            assertEquals(BLOCK_BYTES, read.result(1), CompletionResult.errnoName(read.result(1)));
            assertEquals(-1, TestPattern.firstMismatch(9, buffer, 2L * BLOCK_BYTES));

            ring.updateFile(3, -1);
            assertTrue(ring.tryPrepRead(3, buffer, 0, SqeDescriptor.IOSQE_FIXED_FILE, 2));
            assertEquals(-Errno.EBADF, new CompletionRecorder().drain(ring).result(2));
        }
    }
}
