package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SQPOLL rings, where a kernel thread consumes SQEs; skipped where the kernel refuses SQPOLL. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringSqpollTest
{
    private static final int BLOCK_BYTES = 4096;
    private static final int BLOCKS = 64;

    @TempDir(factory = DirectIoTempDirFactory.class)
    Path dir;

    @Test
    void shouldReadKnownContentInSeveralBatchesWhenKernelPollsTheQueue()
    {
        final IoUringSupport support = IoUringSupport.probe();
        assumeTrue(support.sqpollAllowed(), support.sqpollDetail());
        final Path path = dir.resolve("sqpoll.bin");
        TestPattern.writeFile(40, path, (long)BLOCKS * BLOCK_BYTES);

        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(path, LibC.O_RDONLY | LibC.O_DIRECT, 0);
            IoUring ring = IoUring.create(8, IoUringParamsDescriptor.IORING_SETUP_SQPOLL, 1))
        {
            final MemorySegment slab = arena.allocate((long)BLOCKS * BLOCK_BYTES, BLOCK_BYTES);
            final CompletionRecorder recorder = new CompletionRecorder();
            int next = 0;
            while (next < BLOCKS)
            {
                while (next < BLOCKS && ring.tryPrepRead(file.fd(), slab.asSlice((long)next * BLOCK_BYTES, BLOCK_BYTES),
                    (long)next * BLOCK_BYTES, IoUring.NO_SQE_FLAGS, next))
                {
                    next++;
                }
                recorder.drain(ring);
            }

            for (int i = 0; i < BLOCKS; i++)
            {
                assertEquals(BLOCK_BYTES, recorder.result(i), CompletionResult.errnoName(recorder.result(i)));
            }
            assertEquals(-1, TestPattern.firstMismatch(40, slab, 0));
            assertTrue(ring.tryPrepNop(-5));
        }
    }
}
