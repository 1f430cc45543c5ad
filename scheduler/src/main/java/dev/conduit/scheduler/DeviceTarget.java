package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.LibC;

/**
 * Where a request's bytes live: a byte-addressable range the scheduler reads and writes, such as a
 * file, a region of a block device, or a block-layout namespace. Offsets in requests are relative
 * to the target's byte 0.
 *
 * <p>A target backed by a file descriptor reports it through {@link #fd()} and
 * {@link #fdOffset()}; kernel backends (io_uring, the pread pool) then issue I/O on the descriptor
 * directly. A target without one ({@code fd() < 0}, e.g. an in-memory or fault-injecting
 * namespace) implements {@link #readv} and {@link #writev} itself and can only be served by
 * backends that call them (the pread pool).
 *
 * <p>Threading: {@link #readv} and {@link #writev} are called from backend worker threads,
 * several at once; implementations must allow concurrent positional I/O.
 */
public interface DeviceTarget
{
    /** @return a short name for messages and metrics, e.g. a path or namespace id. */
    String name();

    /** @return the size in bytes; requests must lie within {@code [0, sizeBytes())}. */
    long sizeBytes();

    /**
     * @return the alignment requests must respect in their offset, length and buffer address
     *         (4096 for O_DIRECT files; 1 when anything goes).
     */
    int alignment();

    /**
     * @return the file descriptor for kernel backends, or -1 when the target is not fd-backed
     *         (the default: such targets override {@link #readv} and {@link #writev} instead).
     */
    default int fd()
    {
        return -1;
    }

    /** @return where byte 0 of this target lies within {@link #fd()}; 0 unless overridden. */
    default long fdOffset()
    {
        return 0;
    }

    /**
     * Synchronous scatter read (preadv semantics): fills the {@code iovCount} {@code struct iovec}
     * entries of {@code iov} from {@code offsetBytes} on.
     *
     * @param iov         {@code struct iovec} array (see {@code IovecDescriptor}).
     * @param iovCount    entries to use.
     * @param offsetBytes target-relative offset.
     * @return bytes read (short only at end of target), or {@code -errno}.
     */
    default long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return LibC.preadv(fd(), iov, iovCount, fdOffset() + offsetBytes);
    }

    /**
     * Synchronous gather write (pwritev semantics).
     *
     * @param iov         {@code struct iovec} array.
     * @param iovCount    entries to use.
     * @param offsetBytes target-relative offset.
     * @return bytes written, or {@code -errno}.
     */
    default long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        return LibC.pwritev(fd(), iov, iovCount, fdOffset() + offsetBytes);
    }
}
