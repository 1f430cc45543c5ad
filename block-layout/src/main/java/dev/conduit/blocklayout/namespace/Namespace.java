package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;

/**
 * A linear space of logical blocks, read and written with aligned, positional I/O: the only way the
 * object store touches storage. Implementations: {@link FileNamespace} (a preallocated regular file,
 * what GPUDirect Storage DMAs from), {@link BlockDeviceNamespace} (a raw device) and
 * {@link MemoryNamespace} (RAM, for tests and benchmarks). Remote NVMe/TCP namespaces and the
 * io_uring scheduler plug in as further implementations or decorators of this interface.
 *
 * <p>Every transfer must be aligned: {@code offsetBytes} and the segment length are multiples of
 * {@link #blockSize()}, the segment is native memory whose address is a multiple of
 * {@link #blockSize()}, and the range lies within {@link #capacityBytes()}. Anything else is
 * rejected with {@code UNALIGNED_IO} or {@code OUT_OF_RANGE} before any I/O is issued (see
 * {@link IoAlignment}).
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined())
 * {
 *     final MemorySegment block = arena.allocate(4096, 4096);
 *     ns.write(block, 8192);
 *     ns.flush();                 // durable from here on
 *     ns.readFully(block, 8192);
 * }
 * }</pre>
 *
 * <p>Threading: implementations are safe for concurrent positional reads and writes to disjoint
 * ranges; {@link #close()} must happen after every transfer has returned.
 */
public interface Namespace extends AutoCloseable
{
    /** @return a stable, human-readable identity for messages (a path, or {@code mem:<label>}). */
    String id();

    /** @return the I/O granularity in bytes (a power of two, at most 4096). */
    int blockSize();

    /** @return the usable size in bytes, a multiple of {@link #blockSize()}. */
    long capacityBytes();

    /**
     * One positional read, like pread(2).
     *
     * @param dst         aligned native destination; its size is the request length.
     * @param offsetBytes aligned namespace offset.
     * @return bytes transferred, a multiple of {@link #blockSize()}; fewer than requested only on a
     *         short transfer (0 = nothing could be read).
     */
    long read(MemorySegment dst, long offsetBytes);

    /**
     * Writes all of {@code src}; not durable until {@link #flush()} returns.
     *
     * @param src         aligned native source.
     * @param offsetBytes aligned namespace offset.
     */
    void write(MemorySegment src, long offsetBytes);

    /**
     * Writes {@code count} disjoint ranges, like {@link #write} for each, and returns once all of them
     * are done (none durable until {@link #flush()} returns). An implementation that can have several
     * transfers in flight (the I/O scheduler) issues them together, so the caller waits once, not once
     * per range; this default writes them one after another on the calling thread.
     *
     * @param sources      aligned native sources.
     * @param offsetsBytes aligned namespace offset of each source.
     * @param count        how many of the arrays' leading entries to write.
     */
    default void writeAll(final MemorySegment[] sources, final long[] offsetsBytes, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            write(sources[i], offsetsBytes[i]);
        }
    }

    /** Makes every completed write durable (fdatasync, or a device cache flush). */
    void flush();

    /** Releases the namespace; a second call is a no-op. */
    @Override
    void close();

    /**
     * Reads until {@code dst} is full, re-issuing the remainder after short transfers.
     *
     * @param dst         aligned native destination.
     * @param offsetBytes aligned namespace offset.
     * @return how many short transfers were retried (a counter for callers; usually 0).
     * @throws dev.conduit.core.ConduitException {@code SHORT_READ} when a transfer returns 0.
     */
    default int readFully(final MemorySegment dst, final long offsetBytes)
    {
        final long lengthBytes = dst.byteSize();
        long doneBytes = 0;
        int transfers = 0;
        while (doneBytes < lengthBytes)
        {
            final long n = read(doneBytes == 0 ? dst : dst.asSlice(doneBytes), offsetBytes + doneBytes);
            if (n <= 0)
            {
                throw IoAlignment.shortRead(this, offsetBytes, lengthBytes, doneBytes);
            }
            doneBytes += n;
            transfers++;
        }
        return Math.max(0, transfers - 1);
    }
}
