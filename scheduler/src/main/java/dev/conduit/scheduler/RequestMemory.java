package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryGuard;
import dev.conduit.core.memory.MemoryKind;

/**
 * The memory side of submission, on the producer's thread before a request takes a ring slot: the
 * kind must be one the backend accepts, the range must lie in the memory, a host segment must be
 * native, writable for a read, and alive; guarded memory (from an {@code IoArena}) is held until
 * the request's completion. Refusals allocate (messages); the accepted path does not.
 *
 * <p>Threading: stateless; any thread.
 */
final class RequestMemory
{
    private RequestMemory()
    {
    }

    /**
     * @param request             the request.
     * @param bufferOffset        its offset into the memory.
     * @param length              its length.
     * @param acceptedMemoryKinds the backend's {@link Backend#acceptedMemoryKinds()}.
     * @param backend             the backend (for messages).
     * @param deviceName          the device (for messages).
     * @throws ConduitException         {@code MEMORY_KIND_UNSUPPORTED}, {@code MEMORY_CLOSED}.
     * @throws IllegalArgumentException for a range outside the memory, heap or read-only memory.
     */
    static void check(
        final IoRequest request, final long bufferOffset, final long length, final int acceptedMemoryKinds,
        final Backend backend, final String deviceName)
    {
        final MemoryKind kind = request.memoryKind();
        if (!kind.isIn(acceptedMemoryKinds))
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED, "backend " + backend.name() + " of device " + deviceName + " cannot serve " + kind + " memory (" +
                request.memory() + "); it accepts " + MemoryKind.describe(acceptedMemoryKinds) + "; " + request +
                " was not submitted");
        }
        if (bufferOffset < 0 || length > request.memoryLengthBytes() - bufferOffset)
        {
            throw new IllegalArgumentException(request + ": memory must hold bufferOffset " + bufferOffset +
                " + length (memory size " + request.memoryLengthBytes() + ")");
        }
        final MemorySegment buffer = request.buffer();
        if (buffer == null)
        {
            return;
        }
        if (!buffer.isNative())
        {
            throw new IllegalArgumentException(request + ": buffer must be native");
        }
        if (!buffer.scope().isAlive())
        {
            throw closed(request);
        }
        if (request.op() == IoOp.READ && buffer.isReadOnly())
        {
            throw new IllegalArgumentException(request + ": cannot read into a read-only buffer");
        }
    }

    /**
     * Holds guarded memory open until the request completes.
     *
     * @param request the request.
     * @return the guard now held, or null when the memory has none.
     * @throws ConduitException {@code MEMORY_CLOSED} when the guard is closed.
     */
    static MemoryGuard acquire(final IoRequest request)
    {
        final MemoryGuard guard = request.guard();
        if (guard != null && !guard.tryAcquire())
        {
            throw closed(request);
        }
        return guard;
    }

    /**
     * @param guard a guard taken by {@link #acquire}, or null.
     */
    static void release(final MemoryGuard guard)
    {
        if (guard != null)
        {
            guard.release();
        }
    }

    private static ConduitException closed(final IoRequest request)
    {
        return new ConduitException(ErrorCode.MEMORY_CLOSED, request + ": the arena of its memory is closed (" + request.memory() + ")");
    }
}
