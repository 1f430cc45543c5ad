package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The application side of the mapped CQ ring: loads the kernel's tail with acquire semantics (so
 * every CQE up to it is visible) and hands the consumed slots back by storing the head with
 * release semantics (so the kernel cannot overwrite a CQE before it was read).
 *
 * <p>Threading: owner thread only (see {@link IoUring}).
 */
final class CompletionQueue
{
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final long cqesOffset;
    private final int mask;
    private int localHead;

    CompletionQueue(final MemorySegment ring, final MemorySegment params)
    {
        this.ring = ring;
        this.headOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_HEAD_OFFSET);
        this.tailOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_TAIL_OFFSET);
        this.overflowOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_OVERFLOW_OFFSET);
        this.cqesOffset = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_CQES_OFFSET);
        this.mask = ring.get(JAVA_INT, IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_RING_MASK_OFFSET));
        this.localHead = (int)INT.getAcquire(ring, headOffset);
    }

    /** @return CQEs posted by the kernel and not yet consumed. */
    int ready()
    {
        return (int)INT.getAcquire(ring, tailOffset) - localHead;
    }

    /**
     * Delivers up to {@code maxCompletions} CQEs to {@code handler}. Each CQE is consumed before its
     * callback runs, so if the handler throws, that CQE and all before it count as reaped and the
     * rest stay in the ring for the next call.
     *
     * @return CQEs consumed.
     */
    int reap(final CompletionHandler handler, final int maxCompletions)
    {
        final MemorySegment ring = this.ring;
        final int start = localHead;
        final int end = start + Math.min((int)INT.getAcquire(ring, tailOffset) - start, maxCompletions);
        int head = start;
        try
        {
            while (head != end)
            {
                final long base = cqesOffset + (head & mask) * CqeDescriptor.LENGTH;
                final long userData = ring.get(JAVA_LONG, base + CqeDescriptor.USER_DATA_OFFSET);
                final int result = ring.get(JAVA_INT, base + CqeDescriptor.RES_OFFSET);
                final int flags = ring.get(JAVA_INT, base + CqeDescriptor.FLAGS_OFFSET);
                head++;
                handler.onComplete(userData, result, flags);
            }
        }
        finally
        {
            if (head != start)
            {
                localHead = head;
                INT.setRelease(ring, headOffset, head);
            }
        }
        return head - start;
    }

    /** @return the local head: a wrapping count of every CQE consumed so far. */
    int consumed()
    {
        return localHead;
    }

    /** @return completions the kernel had to drop because the CQ was full (u32 counter). */
    int overflow()
    {
        return (int)INT.getAcquire(ring, overflowOffset);
    }
}
