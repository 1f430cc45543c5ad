package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An open file descriptor with typed, exception-raising I/O: the convenient layer over
 * {@link LibC}'s raw calls. Every failure is a {@link NativeException} naming the call, the path
 * and the errno.
 *
 * <pre>{@code
 * try (PosixFile f = PosixFile.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_DIRECT, 0644))
 * {
 *     f.allocate(0, 1 << 30);
 *     f.writeFully(alignedBuffer, 0);
 *     f.datasync();
 * }
 * }</pre>
 *
 * <p>After {@link #close()} every call fails with {@code EBADF} without reaching the kernel: the
 * number may already name another file opened since, and a stale call would read or write that one.
 *
 * <p>Threading: positional I/O may be issued from several threads at once; {@link #close()} must
 * happen after all of them.
 */
public final class PosixFile implements AutoCloseable
{
    private final int fd;
    private final String path;
    private volatile boolean closed;

    private PosixFile(final int fd, final String path)
    {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens {@code path}.
     *
     * @param path  file or block device.
     * @param flags {@code LibC.O_*}; {@code O_CLOEXEC} is always added.
     * @param mode  permission bits when creating.
     * @return the open file.
     * @throws NativeException on failure.
     */
    public static PosixFile open(final Path path, final int flags, final int mode)
    {
        final String p = path.toString();
        final int fd = LibC.open(p, flags | LibC.O_CLOEXEC, mode);
        if (fd < 0)
        {
            throw NativeException.errno("open(" + p + ")", -fd);
        }
        return new PosixFile(fd, p);
    }

    /**
     * Makes a directory's entries durable: fsync(2) on the directory itself, which is what makes a
     * rename, a create or a delete inside it survive a crash (fsync of the file covers only its data).
     *
     * @param dir an existing directory.
     * @throws NativeException {@code ENOTDIR} when it is not a directory, or the fsync's errno.
     */
    public static void syncDirectory(final Path dir)
    {
        try (PosixFile d = open(dir, LibC.O_RDONLY | LibC.O_DIRECTORY, 0))
        {
            d.sync();
        }
    }

    /**
     * @return the raw descriptor (for io_uring registration).
     * @throws NativeException {@code EBADF} after {@link #close()}.
     */
    public int fd()
    {
        return liveFd("fd");
    }

    /** @return the path it was opened with. */
    public String path()
    {
        return path;
    }

    /**
     * One pread(2).
     *
     * @param buffer destination; its size is the request length.
     * @param offset file offset.
     * @return bytes read (0 at end of file).
     */
    public long read(final MemorySegment buffer, final long offset)
    {
        final long n = LibC.pread(liveFd("pread"), buffer, buffer.byteSize(), offset);
        if (n < 0)
        {
            throw NativeException.errno(op("pread", buffer.byteSize(), offset), (int)-n);
        }
        return n;
    }

    /**
     * Reads until {@code buffer} is full or end of file.
     *
     * @param buffer destination.
     * @param offset file offset.
     * @return bytes read; less than the buffer only at end of file.
     */
    public long readFully(final MemorySegment buffer, final long offset)
    {
        return transferFully(false, buffer, offset);
    }

    /**
     * Writes all of {@code buffer}, retrying short writes.
     *
     * @param buffer source.
     * @param offset file offset.
     */
    public void writeFully(final MemorySegment buffer, final long offset)
    {
        transferFully(true, buffer, offset);
    }

    private long transferFully(final boolean write, final MemorySegment buffer, final long offset)
    {
        final int fd = liveFd(write ? "pwrite" : "pread");
        long done = 0;
        final long length = buffer.byteSize();
        while (done < length)
        {
            final MemorySegment rest = buffer.asSlice(done);
            final long n = write
                ? LibC.pwrite(fd, rest, length - done, offset + done)
                : LibC.pread(fd, rest, length - done, offset + done);
            if (n == -Errno.EINTR)
            {
                continue;
            }
            if (n < 0)
            {
                throw NativeException.errno(op(write ? "pwrite" : "pread", length - done, offset + done), (int)-n);
            }
            if (n == 0)
            {
                if (write)
                {
                    // A zero-byte write makes no progress; retrying would spin forever.
                    throw NativeException.errno(op("pwrite", length - done, offset + done), Errno.ENOSPC);
                }
                break;
            }
            done += n;
        }
        return done;
    }

    /**
     * fallocate(2) mode 0: reserves blocks so later writes cannot hit ENOSPC and extents stay contiguous.
     *
     * @param offset start.
     * @param length bytes.
     */
    public void allocate(final long offset, final long length)
    {
        final int rc = LibC.fallocate(liveFd("fallocate"), 0, offset, length);
        if (rc < 0)
        {
            throw NativeException.errno(op("fallocate", length, offset), -rc);
        }
    }

    /** fdatasync(2). */
    public void datasync()
    {
        LibC.check(LibC.fdatasync(liveFd("fdatasync")), "fdatasync(" + path + ")");
    }

    /** fsync(2). */
    public void sync()
    {
        LibC.check(LibC.fsync(liveFd("fsync")), "fsync(" + path + ")");
    }

    /**
     * ftruncate(2).
     *
     * @param length new size.
     */
    public void truncate(final long length)
    {
        LibC.check(LibC.ftruncate(liveFd("ftruncate"), length), "ftruncate(" + path + ", " + length + ")");
    }

    /** @return the file's {@code st_mode}. */
    public int mode()
    {
        try (Arena arena = Arena.ofConfined())
        {
            return StatDescriptor.mode(stat(arena));
        }
    }

    /**
     * @return the file status flags the kernel holds for this descriptor (fcntl F_GETFL): the access
     *         mode and flags such as {@link LibC#O_DIRECT}, which a filesystem may have refused.
     */
    public int statusFlags()
    {
        return (int)LibC.check(LibC.fcntl(liveFd("fcntl"), LibC.F_GETFL, 0), "fcntl(" + path + ", F_GETFL)");
    }

    /** @return true when this is a block device. */
    public boolean isBlockDevice()
    {
        return (mode() & StatDescriptor.S_IFMT) == StatDescriptor.S_IFBLK;
    }

    /** @return the size in bytes: {@code st_size} for files, BLKGETSIZE64 for block devices. */
    public long size()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment stat = stat(arena);
            if ((StatDescriptor.mode(stat) & StatDescriptor.S_IFMT) != StatDescriptor.S_IFBLK)
            {
                return StatDescriptor.size(stat);
            }
            final MemorySegment out = arena.allocate(JAVA_LONG);
            LibC.check(LibC.ioctl(liveFd("ioctl"), LibC.BLKGETSIZE64, out), "ioctl(" + path + ", BLKGETSIZE64)");
            return out.get(JAVA_LONG, 0);
        }
    }

    /** @return bytes the filesystem has allocated to the file ({@code st_blocks} * 512): less than the size when sparse. */
    public long allocatedBytes()
    {
        try (Arena arena = Arena.ofConfined())
        {
            return StatDescriptor.allocatedBytes(stat(arena));
        }
    }

    /** @return the logical sector size of a block device (BLKSSZGET). */
    public int logicalBlockSize()
    {
        return intIoctl(LibC.BLKSSZGET, "BLKSSZGET");
    }

    /** @return the physical sector size of a block device (BLKPBSZGET). */
    public int physicalBlockSize()
    {
        return intIoctl(LibC.BLKPBSZGET, "BLKPBSZGET");
    }

    private int intIoctl(final long request, final String name)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            LibC.check(LibC.ioctl(liveFd("ioctl"), request, out), "ioctl(" + path + ", " + name + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    private MemorySegment stat(final Arena arena)
    {
        final MemorySegment stat = arena.allocate(StatDescriptor.LENGTH, 8);
        LibC.check(LibC.fstat(liveFd("fstat"), stat), "fstat(" + path + ")");
        return stat;
    }

    /** @return the descriptor, or EBADF once closed: the number may belong to another file by now. */
    private int liveFd(final String call)
    {
        if (closed)
        {
            throw NativeException.errno(call + "(" + path + ") after close", Errno.EBADF);
        }
        return fd;
    }

    private String op(final String call, final long length, final long offset)
    {
        return call + "(" + path + ", len=" + length + ", off=" + offset + ")";
    }

    /** Closes the descriptor; a second call is a no-op. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.check(LibC.close(fd), "close(" + path + ")");
        }
    }
}
