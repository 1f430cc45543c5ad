package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.Function;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

/**
 * The shared half of {@link FileNamespace} and {@link BlockDeviceNamespace}: aligned O_DIRECT
 * pread/pwrite on one descriptor and fdatasync as the flush. Subclasses only decide how the
 * descriptor is opened and how big the namespace is.
 */
public abstract sealed class PosixNamespace implements Namespace permits FileNamespace, BlockDeviceNamespace
{
    private final PosixFile file;
    private final int blockSize;
    private final long capacityBytes;
    private volatile boolean closed;

    PosixNamespace(final PosixFile file, final int blockSize, final long capacityBytes)
    {
        this.file = file;
        this.blockSize = blockSize;
        this.capacityBytes = capacityBytes;
    }

    /**
     * Opens an existing namespace of either kind, deciding by what the opened descriptor is
     * (fstat {@code S_IFBLK}), not by its path: a data directory may live under {@code /dev/shm},
     * and a device may be reached through a symlink.
     *
     * @param path a namespace file or a block device node.
     * @return a {@link BlockDeviceNamespace} or a {@link FileNamespace}.
     */
    public static PosixNamespace open(final Path path)
    {
        final PosixFile file = FileNamespace.openDirect(path, LibC.O_RDWR);
        return closeOnFailure(file, f -> f.isBlockDevice() ? BlockDeviceNamespace.from(f, path) : FileNamespace.from(f));
    }

    /**
     * @return {@code factory} applied to {@code file}; the file is closed when the factory fails.
     */
    static <T> T closeOnFailure(final PosixFile file, final Function<PosixFile, T> factory)
    {
        try
        {
            return factory.apply(file);
        }
        catch (final RuntimeException e)
        {
            try
            {
                file.close();
            }
            catch (final RuntimeException closeFailure)
            {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    @Override
    public final String id()
    {
        return file.path();
    }

    @Override
    public final int blockSize()
    {
        return blockSize;
    }

    @Override
    public final long capacityBytes()
    {
        return capacityBytes;
    }

    @Override
    public final long read(final MemorySegment dst, final long offsetBytes)
    {
        ensureOpen();
        IoAlignment.check(this, dst, offsetBytes, "read");
        return file.read(dst, offsetBytes);
    }

    @Override
    public final void write(final MemorySegment src, final long offsetBytes)
    {
        ensureOpen();
        IoAlignment.check(this, src, offsetBytes, "write");
        file.writeFully(src, offsetBytes);
    }

    @Override
    public final void flush()
    {
        ensureOpen();
        file.datasync();
    }

    /** @return the descriptor, for io_uring or cuFile registration by a later scheduler. */
    public final int fd()
    {
        return file.fd();
    }

    @Override
    public final void close()
    {
        if (!closed)
        {
            closed = true;
            file.close();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw IoAlignment.closed(this);
        }
    }
}
