package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.memory.MemoryGuard;
import dev.conduit.core.memory.RegisteredMemory;

/**
 * A request admitted by a device: preallocated in the device's pool and reused. Tracks how much has
 * been dispatched ({@link #cursor}), how many tasks are in flight, and the outcome so far. Linked
 * into its class queue while it has undispatched bytes, and into the deadline list while it has a
 * deadline. Owned by the device's thread.
 */
final class RequestState
{
    final int index;

    boolean live;
    long id;
    IoOp op;
    TargetHandle target;
    long offsetBytes;
    long lengthBytes;
    long cursor;
    MemorySegment buffer;
    long bufferAddress;
    /** Held from submission until {@code finish}; released there. */
    MemoryGuard guard;
    RegisteredMemory registration;
    Priority priority;
    boolean hasDeadline;
    long deadlineNs;
    IoCallback callback;
    long tag;
    long submitNs;

    int inFlightTasks;
    long transferred;
    long failCode;
    boolean noCoalesce;
    /** Counted in its queue's start filter; must not change while queued. */
    boolean mergeCandidate;

    boolean queued;
    RequestState prev;
    RequestState next;

    boolean inDeadlineList;
    RequestState deadlinePrev;
    RequestState deadlineNext;

    RequestState(final int index)
    {
        this.index = index;
    }

    long endBytes()
    {
        return offsetBytes + lengthBytes;
    }

    boolean fullyDispatched()
    {
        return cursor == offsetBytes + lengthBytes;
    }

    void clear()
    {
        live = false;
        target = null;
        buffer = null;
        guard = null;
        registration = null;
        callback = null;
        inFlightTasks = 0;
        transferred = 0;
        failCode = 0;
        noCoalesce = false;
        mergeCandidate = false;
        hasDeadline = false;
    }
}
