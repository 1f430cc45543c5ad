package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

/**
 * One preallocated slot of a device ring: a submission or a cancellation, written by a producer
 * between claim and publish and read once by the device's duty cycle, which then clears the
 * references so that a slot never keeps a buffer or callback alive.
 */
final class IoEvent
{
    /** A slot whose producer failed between claim and publish: skipped. */
    static final int NONE = 0;
    static final int SUBMIT = 1;
    static final int CANCEL = 2;

    int kind;
    IoOp op;
    TargetHandle target;
    long offsetBytes;
    long lengthBytes;
    MemorySegment buffer;
    long bufferAddress;
    Priority priority;
    boolean hasDeadline;
    long deadlineNs;
    IoCallback callback;
    long tag;
    long submitNs;
    long cancelId;

    void clear()
    {
        target = null;
        buffer = null;
        callback = null;
    }
}
