package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * O_DIRECT reads through io_uring from a 64 MiB file with known content, on a filesystem that
 * really bypasses the page cache (see {@link DirectIoTempDirFactory}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringDirectIoTest
{
    private static final long SEED = 0x600D_F11EL;
    private static final long FILE_BYTES = 64L << 20;
    private static final int BLOCK_BYTES = 4096;
    private static final int QUEUE_DEPTH = 32;
    private static final int READS = 10_000;
    private static final int SLOT_BITS = 8;

    @TempDir(factory = DirectIoTempDirFactory.class)
    static Path dir;

    private static Path dataFile;

    @BeforeAll
    static void writeDataFile()
    {
        dataFile = dir.resolve("pattern.bin");
        TestPattern.writeFile(SEED, dataFile, FILE_BYTES);
    }

    @Test
    void shouldReturnKnownContentWhenTenThousandRandomDirectReadsRunAtQueueDepth()
    {
        final long[] offsets = new long[READS];
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < READS; i++)
        {
            offsets[i] = random.nextLong(FILE_BYTES / BLOCK_BYTES) * BLOCK_BYTES;
        }
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(dataFile, LibC.O_RDONLY | LibC.O_DIRECT, 0);
            IoUring ring = IoUring.create(QUEUE_DEPTH))
        {
            final MemorySegment slab = arena.allocate((long)QUEUE_DEPTH * BLOCK_BYTES, BLOCK_BYTES);
            final VerifyingReader reader = new VerifyingReader(slab, offsets);
            int next = 0;
            int largestBatch = 0;
            while (reader.completed < READS)
            {
                int batch = 0;
                while (next < READS && reader.freeCount > 0)
                {
                    final int slot = reader.takeSlot();
                    final long userData = ((long)next << SLOT_BITS) | slot;
                    assertTrue(ring.tryPrepRead(file.fd(), reader.slots[slot], offsets[next], IoUring.NO_SQE_FLAGS, userData));
                    next++;
                    batch++;
                }
                largestBatch = Math.max(largestBatch, batch);
                ring.submitAndWait(1);
                ring.reap(reader);
            }

            assertEquals(READS, reader.seen.cardinality());
            assertEquals(0, ring.inFlight());
            assertEquals(QUEUE_DEPTH, largestBatch, "the first batch fills the whole queue");
        }
    }

    @Test
    void shouldFailOnlyTheUnalignedRequestWhenBatchMixesAlignments()
    {
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(dataFile, LibC.O_RDONLY | LibC.O_DIRECT, 0);
            IoUring ring = IoUring.create(8))
        {
            final MemorySegment aligned = arena.allocate(3L * BLOCK_BYTES, BLOCK_BYTES);
            final MemorySegment misaligned = arena.allocate(2L * BLOCK_BYTES, BLOCK_BYTES).asSlice(1, BLOCK_BYTES);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(ring.tryPrepRead(file.fd(), block(aligned, i), (i + 1L) * BLOCK_BYTES, IoUring.NO_SQE_FLAGS, i));
            }
            assertTrue(ring.tryPrepRead(file.fd(), misaligned, 0, IoUring.NO_SQE_FLAGS, 99));

            final CompletionRecorder recorder = new CompletionRecorder().drain(ring);

            assertEquals(-Errno.EINVAL, recorder.result(99), CompletionResult.errnoName(recorder.result(99)));
            for (int i = 0; i < 3; i++)
            {
                assertEquals(BLOCK_BYTES, recorder.result(i), CompletionResult.errnoName(recorder.result(i)));
                assertEquals(-1, TestPattern.firstMismatch(SEED, block(aligned, i), (i + 1L) * BLOCK_BYTES));
            }
        }
    }

    @Test
    void shouldCompleteWithEbadfWhenFdIsClosed()
    {
        try (Arena arena = Arena.ofConfined();
            PosixFile file = PosixFile.open(dataFile, LibC.O_RDONLY | LibC.O_DIRECT, 0);
            IoUring ring = IoUring.create(4))
        {
            final MemorySegment buffers = arena.allocate(2L * BLOCK_BYTES, BLOCK_BYTES);
            final PosixFile closed = PosixFile.open(dataFile, LibC.O_RDONLY | LibC.O_DIRECT, 0);
            final int closedFd = closed.fd();
            closed.close();

            assertTrue(ring.tryPrepRead(closedFd, block(buffers, 0), 0, IoUring.NO_SQE_FLAGS, 1));
            assertTrue(ring.tryPrepRead(file.fd(), block(buffers, 1), 0, IoUring.NO_SQE_FLAGS, 2));
            final CompletionRecorder recorder = new CompletionRecorder().drain(ring);

            assertEquals(-Errno.EBADF, recorder.result(1), CompletionResult.errnoName(recorder.result(1)));
            assertEquals("EBADF", CompletionResult.errnoName(recorder.result(1)));
            assertEquals(BLOCK_BYTES, recorder.result(2));
            assertEquals(-1, TestPattern.firstMismatch(SEED, block(buffers, 1), 0));
        }
    }

    private static MemorySegment block(final MemorySegment slab, final int index)
    {
        return slab.asSlice((long)index * BLOCK_BYTES, BLOCK_BYTES);
    }

    /** Checks each completed read against the pattern and recycles its buffer slot. */
    private static final class VerifyingReader implements CompletionHandler
    {
        final MemorySegment[] slots = new MemorySegment[QUEUE_DEPTH];
        final int[] freeSlots = new int[QUEUE_DEPTH];
        final BitSet seen = new BitSet(READS);
        final long[] offsets;
        int freeCount;
        int completed;

        VerifyingReader(final MemorySegment slab, final long[] offsets)
        {
            this.offsets = offsets;
            for (int i = 0; i < QUEUE_DEPTH; i++)
            {
                slots[i] = block(slab, i);
                freeSlots[freeCount++] = i;
            }
        }

        int takeSlot()
        {
            return freeSlots[--freeCount];
        }

        @Override
        public void onComplete(final long userData, final int result, final int flags)
        {
            final int request = (int)(userData >>> SLOT_BITS);
            final int slot = (int)(userData & ((1 << SLOT_BITS) - 1));
            assertEquals(BLOCK_BYTES, result, () -> "read " + request + ": " + CompletionResult.errnoName(result));
            final long mismatch = TestPattern.firstMismatch(SEED, slots[slot], offsets[request]);
            if (mismatch >= 0)
            {
                throw new AssertionError("read " + request + " at offset " + offsets[request]
                    + " differs at byte " + mismatch);
            }
            if (seen.get(request))
            {
                throw new AssertionError("read " + request + " completed twice");
            }
            seen.set(request);
            slots[slot].fill((byte)0);
            freeSlots[freeCount++] = slot;
            completed++;
        }
    }
}
