package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import dev.conduit.core.memory.DeviceMemory;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoMemory;
import dev.conduit.core.memory.MemoryGuard;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.core.memory.RegisteredMemory;

/**
 * A reusable description of one request: what to transfer, where, how urgently. A producer keeps
 * one per thread, fills it, and submits it; the scheduler copies the fields into a preallocated
 * ring event, so the same instance can be refilled at once and nothing is allocated per request.
 *
 * <pre>{@code
 * final IoRequest request = new IoRequest();             // once per producer thread
 * request.read(handle, 1 << 20, buffer, 0, 4096).priority(Priority.LATENCY).timeoutNs(5_000_000);
 * final long id = scheduler.submit(request, callback, tag); // blocks while the device ring is full
 * }</pre>
 *
 * <p>The memory is a bare {@link MemorySegment} (host memory) or a typed {@link IoMemory}: host
 * memory (guarded when it comes from an {@code IoArena}), memory registered with the device's
 * backend (its fixed-buffer index is used), or device memory, which only backends that declare it
 * accept ({@link Backend#acceptedMemoryKinds()}); anything else is refused at submission.
 *
 * <p>The caller owns the memory again only when the request's completion has been delivered.
 *
 * <p>Threading: not thread-safe; one owner at a time.
 */
public final class IoRequest
{
    private IoOp op = IoOp.READ;
    private TargetHandle target;
    private long offsetBytes;
    private long lengthBytes;
    private MemorySegment buffer;
    private IoMemory memory;
    private MemoryKind memoryKind = MemoryKind.HOST;
    private MemoryGuard guard;
    private RegisteredMemory registration;
    private long memoryAddress;
    private long memoryLengthBytes;
    private long bufferOffsetBytes;
    private Priority priority = Priority.LATENCY;
    private boolean hasDeadline;
    private boolean deadlineIsRelative;
    private long deadlineNs;

    /**
     * Describes a read of {@code lengthBytes} at {@code offsetBytes} of the target into
     * {@code buffer[bufferOffsetBytes, +lengthBytes)}. Priority and deadline are kept from the last use.
     *
     * @param target            attached target.
     * @param offsetBytes       target-relative offset.
     * @param buffer            native destination, owned by the caller.
     * @param bufferOffsetBytes where in the buffer the bytes go.
     * @param lengthBytes       bytes to read.
     * @return this.
     */
    public IoRequest read(
        final TargetHandle target, final long offsetBytes, final MemorySegment buffer, final long bufferOffsetBytes,
        final long lengthBytes)
    {
        Objects.requireNonNull(buffer, "buffer");
        return set(IoOp.READ, target, offsetBytes, buffer, bufferOffsetBytes, lengthBytes);
    }

    /**
     * Describes a write of {@code buffer[bufferOffsetBytes, +lengthBytes)} to the target at {@code offsetBytes}.
     *
     * @param target            attached target.
     * @param offsetBytes       target-relative offset.
     * @param buffer            native source, owned by the caller.
     * @param bufferOffsetBytes where in the buffer the bytes come from.
     * @param lengthBytes       bytes to write.
     * @return this.
     */
    public IoRequest write(
        final TargetHandle target, final long offsetBytes, final MemorySegment buffer, final long bufferOffsetBytes,
        final long lengthBytes)
    {
        Objects.requireNonNull(buffer, "buffer");
        return set(IoOp.WRITE, target, offsetBytes, buffer, bufferOffsetBytes, lengthBytes);
    }

    /**
     * Describes a read into typed memory: {@code memory[memoryOffsetBytes, +lengthBytes)}.
     *
     * @param target            attached target.
     * @param offsetBytes       target-relative offset.
     * @param memory            destination (host, registered or device memory), owned by the caller.
     * @param memoryOffsetBytes where in the memory the bytes go.
     * @param lengthBytes       bytes to read.
     * @return this.
     */
    public IoRequest read(
        final TargetHandle target, final long offsetBytes, final IoMemory memory, final long memoryOffsetBytes,
        final long lengthBytes)
    {
        set(IoOp.READ, target, offsetBytes, null, memoryOffsetBytes, lengthBytes);
        return memory(memory);
    }

    /**
     * Describes a write from typed memory: {@code memory[memoryOffsetBytes, +lengthBytes)}.
     *
     * @param target            attached target.
     * @param offsetBytes       target-relative offset.
     * @param memory            source (host, registered or device memory), owned by the caller.
     * @param memoryOffsetBytes where in the memory the bytes come from.
     * @param lengthBytes       bytes to write.
     * @return this.
     */
    public IoRequest write(
        final TargetHandle target, final long offsetBytes, final IoMemory memory, final long memoryOffsetBytes,
        final long lengthBytes)
    {
        set(IoOp.WRITE, target, offsetBytes, null, memoryOffsetBytes, lengthBytes);
        return memory(memory);
    }

    private IoRequest set(
        final IoOp op, final TargetHandle target, final long offsetBytes, final MemorySegment buffer,
        final long bufferOffsetBytes, final long lengthBytes)
    {
        this.op = op;
        this.target = Objects.requireNonNull(target, "target");
        this.offsetBytes = offsetBytes;
        this.bufferOffsetBytes = bufferOffsetBytes;
        this.lengthBytes = lengthBytes;
        if (buffer != null)
        {
            this.buffer = buffer;
            this.memory = null;
            this.memoryKind = MemoryKind.HOST;
            this.guard = null;
            this.registration = null;
            this.memoryAddress = buffer.address();
            this.memoryLengthBytes = buffer.byteSize();
        }
        return this;
    }

    /** Derives the fields the device needs from a typed reference once, here, rather than per device check. */
    private IoRequest memory(final IoMemory memory)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.memoryKind = memory.kind();
        this.memoryAddress = memory.address();
        this.memoryLengthBytes = memory.lengthBytes();
        this.registration = memory instanceof RegisteredMemory registered ? registered : null;
        final IoMemory underlying = registration != null ? registration.memory() : memory;
        switch (underlying)
        {
            case HostMemory host ->
            {
                this.buffer = host.segment();
                this.guard = host.guard();
            }
            case DeviceMemory ignored ->
            {
                this.buffer = null;
                this.guard = null;
            }
            case RegisteredMemory ignored -> throw new IllegalArgumentException("nested registration: " + memory);
        }
        return this;
    }

    /**
     * @param priority the class to queue in.
     * @return this.
     */
    public IoRequest priority(final Priority priority)
    {
        this.priority = Objects.requireNonNull(priority, "priority");
        return this;
    }

    /**
     * Sets an absolute deadline on the scheduler's clock ({@link IoScheduler#clock()}); when it
     * passes first, the request completes with {@link IoStatus#TIMED_OUT}.
     *
     * @param deadlineNs absolute time in nanoseconds.
     * @return this.
     */
    public IoRequest deadlineNs(final long deadlineNs)
    {
        this.hasDeadline = true;
        this.deadlineIsRelative = false;
        this.deadlineNs = deadlineNs;
        return this;
    }

    /**
     * Sets a deadline {@code timeoutNs} after submission.
     *
     * @param timeoutNs nanoseconds from submission, {@code >= 0}.
     * @return this.
     */
    public IoRequest timeoutNs(final long timeoutNs)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("timeoutNs must be >= 0: " + timeoutNs);
        }
        this.hasDeadline = true;
        this.deadlineIsRelative = true;
        this.deadlineNs = timeoutNs;
        return this;
    }

    /**
     * Removes the deadline.
     *
     * @return this.
     */
    public IoRequest noDeadline()
    {
        this.hasDeadline = false;
        this.deadlineIsRelative = false;
        this.deadlineNs = 0;
        return this;
    }

    /** @return the operation. */
    public IoOp op()
    {
        return op;
    }

    /** @return the target, or {@code null} before the first {@code read}/{@code write}. */
    public TargetHandle target()
    {
        return target;
    }

    /** @return target-relative offset. */
    public long offsetBytes()
    {
        return offsetBytes;
    }

    /** @return bytes to transfer. */
    public long lengthBytes()
    {
        return lengthBytes;
    }

    /** @return the host segment the bytes go to or come from; null for device memory. */
    public MemorySegment buffer()
    {
        return buffer;
    }

    /** @return the typed memory reference, or null when a bare segment was given. */
    public IoMemory memory()
    {
        return memory;
    }

    /** @return what the memory is ({@link MemoryKind#HOST} for a bare segment). */
    public MemoryKind memoryKind()
    {
        return memoryKind;
    }

    /** @return the guard held while the request is in flight, or null. */
    MemoryGuard guard()
    {
        return guard;
    }

    /** @return the registration, or null. */
    RegisteredMemory registration()
    {
        return registration;
    }

    /** @return the start of the memory (host address or device pointer). */
    long memoryAddress()
    {
        return memoryAddress;
    }

    /** @return the length of the memory. */
    long memoryLengthBytes()
    {
        return memoryLengthBytes;
    }

    /** @return offset into the buffer (or typed memory). */
    public long bufferOffsetBytes()
    {
        return bufferOffsetBytes;
    }

    /** @return the priority class. */
    public Priority priority()
    {
        return priority;
    }

    /** @return whether a deadline is set. */
    public boolean hasDeadline()
    {
        return hasDeadline;
    }

    boolean deadlineIsRelative()
    {
        return deadlineIsRelative;
    }

    long rawDeadlineNs()
    {
        return deadlineNs;
    }

    @Override
    public String toString()
    {
        return describe(op, target, offsetBytes, lengthBytes);
    }

    static String describe(final IoOp op, final TargetHandle target, final long offsetBytes, final long lengthBytes)
    {
        return (op == IoOp.READ ? "read(" : "write(") + target + ", off=" + offsetBytes + ", len=" + lengthBytes + ")";
    }
}
