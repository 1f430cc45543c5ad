package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Aligned native buffers for O_DIRECT and DMA: from an {@link Arena} (owner closes it) or from
 * posix_memalign (caller frees), plus page locking.
 */
public final class AlignedMemory
{
    /** Alignment every O_DIRECT buffer in Conduit uses. */
    public static final long DIRECT_IO_ALIGNMENT = 4096;

    private AlignedMemory()
    {
    }

    /**
     * @param arena     owner of the memory.
     * @param size      bytes.
     * @param alignment power of two.
     * @return a zeroed, aligned segment that lives as long as {@code arena}.
     */
    public static MemorySegment allocate(final Arena arena, final long size, final long alignment)
    {
        return arena.allocate(size, alignment);
    }

    /**
     * Aligned memory that is not zeroed, freed when {@code arena} closes: for large pools whose pages
     * should only become resident when first used (zeroing 256 MiB at start-up faults every page in).
     *
     * @param arena     owner of the memory; closing it frees the memory and invalidates the segment.
     * @param size      bytes.
     * @param alignment power of two, at least 8.
     * @return an aligned segment of {@code size} bytes with undefined contents.
     * @throws NativeException (ENOMEM, EINVAL) on failure.
     */
    public static MemorySegment allocateUninitialized(final Arena arena, final long size, final long alignment)
    {
        return posixMemalign(size, alignment).reinterpret(arena, AlignedMemory::free);
    }

    /**
     * posix_memalign(3); the result must be released with {@link #free(MemorySegment)}.
     *
     * @param size      bytes.
     * @param alignment power of two, at least 8.
     * @return a segment of {@code size} bytes.
     * @throws NativeException (ENOMEM, EINVAL) on failure.
     */
    public static MemorySegment posixMemalign(final long size, final long alignment)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(java.lang.foreign.ValueLayout.ADDRESS);
            LibC.check(LibC.posixMemalign(out, alignment, size), "posix_memalign(align=" + alignment + ", size=" + size + ")");
            return out.get(java.lang.foreign.ValueLayout.ADDRESS, 0).reinterpret(size);
        }
    }

    /**
     * free(3) for memory from {@link #posixMemalign}.
     *
     * @param segment the segment returned by {@link #posixMemalign}.
     */
    public static void free(final MemorySegment segment)
    {
        LibC.free(segment);
    }

    /**
     * mlock(2): pins pages so DMA and io_uring fixed buffers never fault.
     *
     * @param segment memory to lock.
     * @throws NativeException (ENOMEM when RLIMIT_MEMLOCK is too small, EPERM).
     */
    public static void lock(final MemorySegment segment)
    {
        LibC.check(LibC.mlock(segment, segment.byteSize()), "mlock(len=" + segment.byteSize() + ")");
    }

    /**
     * munlock(2).
     *
     * @param segment memory locked earlier.
     */
    public static void unlock(final MemorySegment segment)
    {
        LibC.check(LibC.munlock(segment, segment.byteSize()), "munlock(len=" + segment.byteSize() + ")");
    }

    /** @return the system page size. */
    public static long pageSize()
    {
        return LibC.sysconf(LibC.SC_PAGESIZE);
    }
}
