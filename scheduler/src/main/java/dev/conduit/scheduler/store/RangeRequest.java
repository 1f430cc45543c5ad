package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.Priority;

/**
 * A reusable description of one object range read for {@link ObjectRangeReader}: which pinned
 * object version, which bytes, where they go, whether to verify them, how urgently. A producer
 * keeps one per thread, fills it and passes it to {@link ObjectRangeReader#read(RangeRequest,
 * dev.conduit.scheduler.IoCallback, long)}, which copies what it needs, so the same instance can be
 * refilled at once and nothing is allocated per read.
 *
 * <pre>{@code
 * final RangeRequest request = new RangeRequest();                    // once per producer thread
 * try (ObjectReadHandle version = store.openObject("model.bin"))       // pins this version
 * {
 *     request.object(version).range(8_000_001, 4096).into(buffer, 0).verify(true).timeoutNs(5_000_000);
 *     final long readId = reader.read(request, callback, tag);         // one completion, on a device thread
 * }                                                                    // the read keeps its own pin until it completes
 * }</pre>
 *
 * <p>The destination is a segment and an offset in it: native memory (aligned reads go straight
 * into it) or heap memory (always staged). It is the one place a typed memory reference (host,
 * registered host, device) will be accepted, so callers keep this same call when device memory
 * arrives.
 *
 * <p>Threading: not thread-safe; one owner at a time.
 */
public final class RangeRequest
{
    ObjectReadHandle object;
    long offsetBytes;
    long lengthBytes;
    MemorySegment destination;
    long destinationOffsetBytes;
    boolean verify;
    boolean deferDirect;
    Priority priority = Priority.LATENCY;
    private boolean hasDeadline;
    private boolean deadlineIsRelative;
    private long deadlineNs;

    /**
     * @param version an open handle; the read takes its own reference to it, so the caller may
     *                close the handle as soon as {@code read} has returned.
     * @return this.
     */
    public RangeRequest object(final ObjectReadHandle version)
    {
        this.object = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * @param offsetBytes start within the object, any byte.
     * @param lengthBytes bytes to read, any count; the range must lie within the object.
     * @return this.
     */
    public RangeRequest range(final long offsetBytes, final long lengthBytes)
    {
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
        return this;
    }

    /**
     * @param destination            where the bytes go; heap or native, any alignment.
     * @param destinationOffsetBytes where in it the first requested byte goes.
     * @return this.
     */
    public RangeRequest into(final MemorySegment destination, final long destinationOffsetBytes)
    {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.destinationOffsetBytes = destinationOffsetBytes;
        return this;
    }

    /**
     * @param verify check every checksum chunk the range touches (reading whole chunks) and fail
     *               the read with {@link ObjectRangeReader#CORRUPT} on a mismatch.
     * @return this.
     */
    public RangeRequest verify(final boolean verify)
    {
        this.verify = verify;
        return this;
    }

    /**
     * Deferred verification, for a caller that checks the bytes itself before using them, on a thread of its
     * own, so that the device thread that completes the read goes back to submitting at once. With
     * {@link #verify(boolean)} on, the reader still reads whole chunks and still checks every chunk it staged
     * (a head or tail only partly requested, or everything when the destination does not line up); the chunks
     * read straight into the destination, all of them wholly inside the requested range, are not checked:
     * the read completes with the requested length and the caller must pass the same range to
     * {@link ObjectRangeReader#verifyLanded} before it trusts a byte (it checks every chunk wholly inside the
     * range, so a staged one may be checked twice). Off by default.
     *
     * @param defer leave the directly read chunks to the caller.
     * @return this.
     */
    public RangeRequest deferVerification(final boolean defer)
    {
        this.deferDirect = defer;
        return this;
    }

    /**
     * @param priority class of every piece.
     * @return this.
     */
    public RangeRequest priority(final Priority priority)
    {
        this.priority = Objects.requireNonNull(priority, "priority");
        return this;
    }

    /**
     * @param timeoutNs nanoseconds from submission after which an unfinished piece fails the read
     *                  with {@code IoStatus.TIMED_OUT}.
     * @return this.
     */
    public RangeRequest timeoutNs(final long timeoutNs)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("timeoutNs must be >= 0: " + timeoutNs);
        }
        hasDeadline = true;
        deadlineIsRelative = true;
        deadlineNs = timeoutNs;
        return this;
    }

    /**
     * @param deadlineNs absolute time on the scheduler's clock after which an unfinished piece fails
     *                   the read with {@code IoStatus.TIMED_OUT}.
     * @return this.
     */
    public RangeRequest deadlineNs(final long deadlineNs)
    {
        hasDeadline = true;
        deadlineIsRelative = false;
        this.deadlineNs = deadlineNs;
        return this;
    }

    /**
     * @return this, with no deadline.
     */
    public RangeRequest noDeadline()
    {
        hasDeadline = false;
        deadlineIsRelative = false;
        deadlineNs = 0;
        return this;
    }

    /** Copies the class and deadline onto a piece's request. */
    void applyTo(final IoRequest piece)
    {
        piece.priority(priority);
        if (!hasDeadline)
        {
            piece.noDeadline();
        }
        else if (deadlineIsRelative)
        {
            piece.timeoutNs(deadlineNs);
        }
        else
        {
            piece.deadlineNs(deadlineNs);
        }
    }
}
