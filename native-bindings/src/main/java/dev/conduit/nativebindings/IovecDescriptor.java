package dev.conduit.nativebindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec { void *iov_base; size_t iov_len; }}: 16 bytes, base at 0, length at 8.
 */
public final class IovecDescriptor
{
    /** The struct layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    /** Bytes per entry. */
    public static final long LENGTH = LAYOUT.byteSize();

    private IovecDescriptor()
    {
    }

    /**
     * Writes entry {@code index} of an iovec array.
     *
     * @param iovs   the array.
     * @param index  entry index.
     * @param buffer the buffer the entry points at (its address and size are used).
     */
    public static void set(final MemorySegment iovs, final int index, final MemorySegment buffer)
    {
        final long base = index * LENGTH;
        iovs.set(ADDRESS, base, buffer);
        iovs.set(JAVA_LONG, base + 8, buffer.byteSize());
    }
}
