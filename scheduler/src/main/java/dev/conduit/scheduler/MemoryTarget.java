package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@link DeviceTarget} over a native memory segment: an in-memory device for tests and for
 * measuring the scheduler without storage. Not fd-backed, so it needs a backend that calls
 * {@link #readv}/{@link #writev} (the pread pool).
 *
 * <p>Threading: concurrent I/O to disjoint ranges is safe; overlapping writes race as they would
 * on a disk.
 */
public final class MemoryTarget implements DeviceTarget
{
    private final String name;
    private final MemorySegment memory;

    /**
     * @param name   name for messages.
     * @param memory backing memory (native; owned by the caller and kept alive while in use).
     */
    public MemoryTarget(final String name, final MemorySegment memory)
    {
        if (!memory.isNative())
        {
            throw new IllegalArgumentException("MemoryTarget needs native memory: " + name);
        }
        this.name = name;
        this.memory = memory;
    }

    /** @return the backing memory. */
    public MemorySegment memory()
    {
        return memory;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public long sizeBytes()
    {
        return memory.byteSize();
    }

    @Override
    public int alignment()
    {
        return 1;
    }

    @Override
    public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return transfer(iov, iovCount, offsetBytes, true);
    }

    @Override
    public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return transfer(iov, iovCount, offsetBytes, false);
    }

    private long transfer(final MemorySegment iov, final int iovCount, final long offsetBytes, final boolean read)
    {
        return transfer(iov, iovCount, offsetBytes, read, Long.MAX_VALUE);
    }

    /**
     * Copies between the iovecs and memory, moving at most {@code maxBytes}; stops at the end of
     * the memory (a short transfer, as a file gives at end of file).
     *
     * @param iov         iovec array.
     * @param iovCount    entries to use.
     * @param offsetBytes target-relative offset.
     * @param read        copy from memory into the iovecs (else the other way).
     * @param maxBytes    upper bound on the bytes moved (tests use it to force short transfers).
     * @return bytes moved.
     */
    long transfer(final MemorySegment iov, final int iovCount, final long offsetBytes, final boolean read, final long maxBytes)
    {
        long position = offsetBytes;
        long budget = maxBytes;
        final long size = memory.byteSize();
        for (int i = 0; i < iovCount && position < size && budget > 0; i++)
        {
            final long base = i * 16L;
            final long address = iov.get(ADDRESS, base).address();
            final long length = Math.min(Math.min(iov.get(JAVA_LONG, base + 8), size - position), budget);
            final MemorySegment buffer = MemorySegment.ofAddress(address).reinterpret(length);
            if (read)
            {
                MemorySegment.copy(memory, position, buffer, 0, length);
            }
            else
            {
                MemorySegment.copy(buffer, 0, memory, position, length);
            }
            position += length;
            budget -= length;
        }
        return position - offsetBytes;
    }
}
