package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.memory.MemoryGuard;
import dev.conduit.core.memory.RegisteredMemory;

/**
 * One preallocated slot of a device ring: a submission, a cancellation or a control-plane
 * {@link DeviceCommand} (buffer registration, detach), written by a producer
 * between claim and publish and read once by the device's duty cycle, which then clears the
 * references so that a slot never keeps a buffer or callback alive.
 */
final class IoEvent
{
    /** A slot whose producer failed between claim and publish: skipped. */
    static final int NONE = 0;
    static final int SUBMIT = 1;
    static final int CANCEL = 2;
    static final int COMMAND = 3;

    int kind;
    IoOp op;
    TargetHandle target;
    long offsetBytes;
    long lengthBytes;
    MemorySegment buffer;
    long bufferAddress;
    MemoryGuard guard;
    RegisteredMemory registration;
    DeviceCommand command;
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
        guard = null;
        registration = null;
        command = null;
        callback = null;
    }
}
