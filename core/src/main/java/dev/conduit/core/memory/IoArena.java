package dev.conduit.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A shared arena whose memory a scheduler can hold open while I/O into it is in flight. Closing a
 * JDK shared arena fails only while a <em>downcall</em> uses its memory; asynchronous I/O (io_uring,
 * a worker pool) outlives the call that submitted it, so the JDK cannot see it. An {@code IoArena}
 * adds a {@link MemoryGuard}: requests on {@link HostMemory} from {@link #allocateHost} hold it from
 * submission to completion, and {@link #close()} throws {@link IllegalStateException} while any does,
 * leaving the memory allocated.
 *
 * <pre>{@code
 * try (IoArena arena = IoArena.ofShared())
 * {
 *     final HostMemory buffer = arena.allocateHost(1 << 20, 4096);
 *     request.read(handle, 0, buffer, 0, 1 << 20);
 *     ...
 * } // throws IllegalStateException if a request on buffer is still in flight
 * }</pre>
 *
 * <p>Threading: allocation and close from any thread, as for {@link Arena#ofShared()}.
 */
public final class IoArena implements Arena
{
    private final Arena arena;
    private final MemoryGuard guard = new MemoryGuard();

    private IoArena(final Arena arena)
    {
        this.arena = arena;
    }

    /** @return a new arena over {@link Arena#ofShared()}. */
    public static IoArena ofShared()
    {
        return new IoArena(Arena.ofShared());
    }

    /**
     * @param byteSize      bytes.
     * @param byteAlignment alignment (4096 for O_DIRECT).
     * @return zeroed guarded host memory.
     */
    public HostMemory allocateHost(final long byteSize, final long byteAlignment)
    {
        return new HostMemory(allocate(byteSize, byteAlignment), guard);
    }

    /**
     * @param segment a segment allocated from this arena.
     * @return it as guarded host memory.
     */
    public HostMemory host(final MemorySegment segment)
    {
        if (!segment.scope().equals(arena.scope()))
        {
            throw new IllegalArgumentException("segment was not allocated from this arena: " + segment);
        }
        return new HostMemory(segment, guard);
    }

    /** @return the guard requests on this arena's memory hold. */
    public MemoryGuard guard()
    {
        return guard;
    }

    @Override
    public MemorySegment allocate(final long byteSize, final long byteAlignment)
    {
        return arena.allocate(byteSize, byteAlignment);
    }

    @Override
    public MemorySegment.Scope scope()
    {
        return arena.scope();
    }

    /**
     * Frees the memory unless I/O is using it.
     *
     * @throws IllegalStateException while a request on this arena's guarded memory is in flight
     *                               (nothing is freed; close again once it has completed).
     */
    @Override
    public void close()
    {
        guard.close();
        arena.close();
    }
}
