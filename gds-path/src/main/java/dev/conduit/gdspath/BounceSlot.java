package dev.conduit.gdspath;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.cuda.CudaEvent;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.cuda.HostRegistration;
import dev.conduit.scheduler.store.RangeRequest;

/**
 * One pinned, page-aligned host slot of the bounce ring and the chunk it carries: FREE → READING
 * (io_uring O_DIRECT read through the scheduler) → READ_DONE → COPYING ({@code cuMemcpyHtoDAsync}
 * on its stream, then an event) → FREE once the event completes, so the slot is never refilled
 * while the copy may still read it.
 *
 * <p>Threading: owned by the bounce agent; only {@link #readResult}/{@link #readFailure} are
 * written by the scheduler thread that completes the read, before it hands the slot back.
 */
final class BounceSlot
{
    enum State
    {
        FREE, READING, COPYING
    }

    final int index;
    final MemorySegment memory;
    final HostRegistration registration;
    final CudaStream stream;
    final CudaEvent copied;
    final RangeRequest request = new RangeRequest();
    State state = State.FREE;
    BounceRead read;
    long objectOffsetBytes;
    long lengthBytes;
    long innerOffsetBytes;
    volatile long readResult;
    volatile Throwable readFailure;

    BounceSlot(final int index, final MemorySegment memory, final HostRegistration registration, final CudaStream stream,
        final CudaEvent copied)
    {
        this.index = index;
        this.memory = memory;
        this.registration = registration;
        this.stream = stream;
        this.copied = copied;
    }
}
