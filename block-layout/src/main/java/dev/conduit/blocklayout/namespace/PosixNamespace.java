package dev.conduit.blocklayout.namespace;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.PosixFile;

/**
 * The shared half of {@link FileNamespace} and {@link BlockDeviceNamespace}: aligned O_DIRECT
 * pread/pwrite on one descriptor and fdatasync as the flush. Subclasses only decide how the
 * descriptor is opened and how big the namespace is.
 */
abstract sealed class PosixNamespace implements Namespace permits FileNamespace, BlockDeviceNamespace
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
