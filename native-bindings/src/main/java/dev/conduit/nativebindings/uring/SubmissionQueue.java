package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The application side of the mapped SQ ring: fills SQEs in place and publishes them by storing
 * the tail with release semantics, so the kernel (which loads the tail with acquire) sees every
 * SQE byte written before it.
 *
 * <p>The tail is kept locally and published only by {@link #publish()}, so prepared SQEs can be
 * batched into one io_uring_enter. The index array is filled once with the identity mapping (SQE
 * slot {@code i} at array position {@code i}), which is all a ring that fills slots in order needs.
 *
 * <p>Threading: owner thread only (see {@link IoUring}). Capacity is the caller's job: it must not
 * claim more than {@code entries} SQEs beyond what the kernel has consumed.
 */
final class SubmissionQueue
{
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long headOffset;
    private final long tailOffset;
    private final long flagsOffset;
    private final long droppedOffset;
    private final int mask;
    private int localTail;
    private int publishedTail;

    SubmissionQueue(final MemorySegment ring, final MemorySegment sqes, final MemorySegment params)
    {
        this.ring = ring;
        this.sqes = sqes;
        this.headOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_HEAD_OFFSET);
        this.tailOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_TAIL_OFFSET);
        this.flagsOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_FLAGS_OFFSET);
        this.droppedOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_DROPPED_OFFSET);
        this.mask = ring.get(JAVA_INT, IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_RING_MASK_OFFSET));
        final int entries =
            ring.get(JAVA_INT, IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_RING_ENTRIES_OFFSET));
        final long arrayOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_ARRAY_OFFSET);
        for (int i = 0; i < entries; i++)
        {
            ring.set(JAVA_INT, arrayOffset + i * JAVA_INT.byteSize(), i);
        }
        this.localTail = (int)INT.getAcquire(ring, tailOffset);
        this.publishedTail = localTail;
    }

    /**
     * Takes the next SQE slot and writes every field of it, so nothing from its previous use leaks.
     * The caller has checked capacity.
     */
    void prepare(
        final int opcode,
        final int sqeFlags,
        final int fd,
        final long fileOffset,
        final long address,
        final int length,
        final int opFlags,
        final int bufferIndex,
        final long userData)
    {
        final MemorySegment sqes = this.sqes;
        final long base = (localTail & mask) * SqeDescriptor.LENGTH;
        sqes.set(JAVA_BYTE, base + SqeDescriptor.OPCODE_OFFSET, (byte)opcode);
        sqes.set(JAVA_BYTE, base + SqeDescriptor.FLAGS_OFFSET, (byte)sqeFlags);
        sqes.set(JAVA_SHORT, base + SqeDescriptor.IOPRIO_OFFSET, (short)0);
        sqes.set(JAVA_INT, base + SqeDescriptor.FD_OFFSET, fd);
        sqes.set(JAVA_LONG, base + SqeDescriptor.OFF_OFFSET, fileOffset);
        sqes.set(JAVA_LONG, base + SqeDescriptor.ADDR_OFFSET, address);
        sqes.set(JAVA_INT, base + SqeDescriptor.LEN_OFFSET, length);
        sqes.set(JAVA_INT, base + SqeDescriptor.OP_FLAGS_OFFSET, opFlags);
        sqes.set(JAVA_LONG, base + SqeDescriptor.USER_DATA_OFFSET, userData);
        sqes.set(JAVA_SHORT, base + SqeDescriptor.BUF_INDEX_OFFSET, (short)bufferIndex);
        sqes.set(JAVA_SHORT, base + SqeDescriptor.PERSONALITY_OFFSET, (short)0);
        sqes.set(JAVA_INT, base + SqeDescriptor.FILE_INDEX_OFFSET, 0);
        sqes.set(JAVA_LONG, base + SqeDescriptor.ADDR3_OFFSET, 0L);
        sqes.set(JAVA_LONG, base + SqeDescriptor.PAD_OFFSET, 0L);
        localTail++;
    }

    /**
     * Makes every prepared SQE visible to the kernel.
     *
     * @return SQEs published but not yet consumed by the kernel: the {@code to_submit} for io_uring_enter.
     */
    int publish()
    {
        if (publishedTail != localTail)
        {
            publishedTail = localTail;
            INT.setRelease(ring, tailOffset, localTail);
        }
        return unconsumed();
    }

    /** @return SQEs published but not yet consumed by the kernel. */
    int unconsumed()
    {
        return publishedTail - (int)INT.getAcquire(ring, headOffset);
    }

    /**
     * Forgets SQEs prepared since the last {@link #publish()}; the kernel never saw them.
     *
     * @return how many were dropped.
     */
    int discardUnpublished()
    {
        final int discarded = localTail - publishedTail;
        localTail = publishedTail;
        return discarded;
    }

    /** @return SQEs prepared but not yet published. */
    int unpublished()
    {
        return localTail - publishedTail;
    }

    /**
     * Loads the SQ flags after a full fence, so that for SQPOLL the check for NEED_WAKEUP cannot be
     * ordered before the tail store that the sleeping poller must see.
     *
     * @return the {@code IORING_SQ_*} flags.
     */
    int flagsAfterFence()
    {
        VarHandle.fullFence();
        return (int)INT.getAcquire(ring, flagsOffset);
    }

    /** @return the {@code IORING_SQ_*} flags. */
    int flags()
    {
        return (int)INT.getAcquire(ring, flagsOffset);
    }

    /** @return SQEs the kernel dropped because they were invalid (index out of range). */
    int dropped()
    {
        return (int)INT.getAcquire(ring, droppedOffset);
    }
}
