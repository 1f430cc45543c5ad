package dev.conduit.core.memory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Host memory: a native segment, aligned or not (each backend says what alignment it requires of
 * the ranges it serves). Memory allocated from an {@link IoArena} carries that arena's
 * {@link MemoryGuard}, so a scheduler can keep the arena from closing while I/O into it is in
 * flight; memory wrapped with {@link #of(MemorySegment)} has no guard, and only its scope's
 * liveness can be checked.
 *
 * <p>Threading: immutable.
 */
public final class HostMemory implements IoMemory
{
    private final MemorySegment segment;
    private final MemoryGuard guard;

    HostMemory(final MemorySegment segment, final MemoryGuard guard)
    {
        if (!Objects.requireNonNull(segment, "segment").isNative())
        {
            throw new IllegalArgumentException("host memory must be a native segment: " + segment);
        }
        this.segment = segment;
        this.guard = guard;
    }

    /**
     * @param segment a native segment; the caller keeps its arena open until every request on it has completed.
     * @return an unguarded reference.
     */
    public static HostMemory of(final MemorySegment segment)
    {
        return new HostMemory(segment, null);
    }

    @Override
    public MemoryKind kind()
    {
        return MemoryKind.HOST;
    }

    /** @return the segment. */
    public MemorySegment segment()
    {
        return segment;
    }

    /** @return the guard of the {@link IoArena} this memory came from, or null when unguarded. */
    public MemoryGuard guard()
    {
        return guard;
    }

    /** @return true while the segment's scope is alive and its guard (if any) is open. */
    public boolean isAlive()
    {
        return segment.scope().isAlive() && (guard == null || !guard.isClosed());
    }

    @Override
    public long address()
    {
        return segment.address();
    }

    @Override
    public long lengthBytes()
    {
        return segment.byteSize();
    }

    @Override
    public String toString()
    {
        return "HostMemory(0x" + Long.toHexString(segment.address()) + ", len=" + segment.byteSize() +
            (guard == null ? ")" : ", guarded)");
    }
}
