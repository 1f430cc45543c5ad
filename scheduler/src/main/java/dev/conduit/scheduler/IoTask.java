package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.memory.RegisteredMemory;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One unit of I/O handed to a {@link Backend}: a contiguous byte range of one target, scattered
 * over (read) or gathered from (write) up to {@link DeviceContext#maxIovPerTask()} buffer pieces
 * described by a native {@code struct iovec} array. A task is a slice of one large request (split
 * at {@link DeviceContext#taskSizeBytes()}) or several small adjacent requests merged into one I/O.
 *
 * <p>Tasks are preallocated per device, one per queue-depth slot, with their iovec arrays in native
 * memory; they are reset and reused, never allocated on the I/O path. A backend owns a task from
 * {@link Backend#submit(IoTask)} until it reports the task's completion, and must not keep it after.
 *
 * <p>Threading: filled on the device's thread; a backend may read it on its worker threads while it
 * owns it (publication through {@code submit} and the completion report give the happens-before).
 */
public final class IoTask
{
    private static final long IOVEC_BYTES = 16;

    private final int index;
    private final MemorySegment iov;
    private final int maxIov;

    IoOp op;
    TargetHandle handle;
    DeviceTarget target;
    Priority priority;
    long offsetBytes;
    long lengthBytes;
    int iovCount;
    RegisteredMemory registration;

    final RequestState[] parts;
    final long[] partLengths;
    int partCount;

    /** Free for the backend's own use while it owns the task (e.g. a retry cursor). */
    private long backendData;

    IoTask(final int index, final MemorySegment iov, final int maxIov)
    {
        this.index = index;
        this.iov = iov;
        this.maxIov = maxIov;
        this.parts = new RequestState[maxIov];
        this.partLengths = new long[maxIov];
    }

    /** @return a stable index in {@code [0, queueDepth)}, unique among the device's tasks (usable as io_uring {@code user_data}). */
    public int index()
    {
        return index;
    }

    /** @return read or write. */
    public IoOp op()
    {
        return op;
    }

    /** @return the attached target. */
    public TargetHandle handle()
    {
        return handle;
    }

    /** @return the target the I/O goes to. */
    public DeviceTarget target()
    {
        return target;
    }

    /** @return the priority class of the requests in this task. */
    public Priority priority()
    {
        return priority;
    }

    /** @return target-relative offset of the first byte. */
    public long offsetBytes()
    {
        return offsetBytes;
    }

    /** @return total bytes (sum of the iovec lengths). */
    public long lengthBytes()
    {
        return lengthBytes;
    }

    /** @return the native {@code struct iovec} array (capacity {@code maxIovPerTask} entries). */
    public MemorySegment iov()
    {
        return iov;
    }

    /** @return how many iovec entries are in use. */
    public int iovCount()
    {
        return iovCount;
    }

    /**
     * @param i entry index.
     * @return the buffer address of entry {@code i}.
     */
    public long iovAddress(final int i)
    {
        return iov.get(JAVA_LONG, i * IOVEC_BYTES);
    }

    /**
     * @param i entry index.
     * @return the length of entry {@code i}.
     */
    public long iovLength(final int i)
    {
        return iov.get(JAVA_LONG, i * IOVEC_BYTES + 8);
    }

    /**
     * @return the registration of the memory of the task's first piece (a backend whose registration
     *         it is may use it when the task is a single piece), or null.
     */
    public RegisteredMemory registration()
    {
        return registration;
    }

    /** @return the backend's scratch value. */
    public long backendData()
    {
        return backendData;
    }

    /**
     * @param value the backend's scratch value.
     */
    public void backendData(final long value)
    {
        this.backendData = value;
    }

    void reset(final TargetHandle handle, final IoOp op, final Priority priority, final long offsetBytes)
    {
        this.handle = handle;
        this.target = handle.target();
        this.op = op;
        this.priority = priority;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = 0;
        this.iovCount = 0;
        this.partCount = 0;
        this.backendData = 0;
        this.registration = null;
    }

    boolean isFull()
    {
        return iovCount == maxIov;
    }

    void addPart(final RequestState request, final long bufferAddress, final long length)
    {
        final long base = iovCount * IOVEC_BYTES;
        iov.set(JAVA_LONG, base, bufferAddress);
        iov.set(JAVA_LONG, base + 8, length);
        if (iovCount == 0)
        {
            registration = request.registration;
        }
        iovCount++;
        parts[partCount] = request;
        partLengths[partCount] = length;
        partCount++;
        lengthBytes += length;
        request.inFlightTasks++;
    }

    void clear()
    {
        for (int i = 0; i < partCount; i++)
        {
            parts[i] = null;
        }
        partCount = 0;
        iovCount = 0;
        handle = null;
        target = null;
        registration = null;
    }

    @Override
    public String toString()
    {
        return "IoTask(#" + index + ", " + op + ", " + (handle == null ? "-" : handle.toString()) +
            ", off=" + offsetBytes + ", len=" + lengthBytes + ", iov=" + iovCount + ")";
    }
}
