package dev.conduit.scheduler;

import java.nio.file.Path;

import dev.conduit.nativebindings.AlignedMemory;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

/**
 * A {@link DeviceTarget} over a range of an open file or block device: {@code sizeBytes} bytes
 * starting at {@code fdOffset} of {@code fd}. The descriptor belongs to whoever opened it; this
 * class only borrows it, except when made by {@link #open}, which owns its {@link PosixFile}.
 *
 * <pre>{@code
 * try (FileTarget file = FileTarget.open(path, true))
 * {
 *     final TargetHandle handle = device.attach(file);
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: immutable; I/O may be issued from any number of threads.
 */
public final class FileTarget implements DeviceTarget, AutoCloseable
{
    private final String name;
    private final int fd;
    private final long fdOffset;
    private final long sizeBytes;
    private final int alignment;
    private final PosixFile owned;

    /**
     * Borrows a descriptor.
     *
     * @param name      name for messages.
     * @param fd        open descriptor, valid while this target is used.
     * @param fdOffset  where byte 0 of the target lies in the file.
     * @param sizeBytes size of the range.
     * @param alignment required alignment (4096 when opened with O_DIRECT, else 1).
     */
    public FileTarget(final String name, final int fd, final long fdOffset, final long sizeBytes, final int alignment)
    {
        this(name, fd, fdOffset, sizeBytes, alignment, null);
    }

    private FileTarget(
        final String name, final int fd, final long fdOffset, final long sizeBytes, final int alignment,
        final PosixFile owned)
    {
        if (fd < 0 || fdOffset < 0 || sizeBytes < 0 || alignment < 1 || Integer.bitCount(alignment) != 1)
        {
            throw new IllegalArgumentException("bad file target: fd=" + fd + ", fdOffset=" + fdOffset +
                ", sizeBytes=" + sizeBytes + ", alignment=" + alignment);
        }
        this.name = name;
        this.fd = fd;
        this.fdOffset = fdOffset;
        this.sizeBytes = sizeBytes;
        this.alignment = alignment;
        this.owned = owned;
    }

    /**
     * Opens a whole existing file read-write and owns the descriptor.
     *
     * @param path   the file.
     * @param direct open with O_DIRECT (alignment becomes 4096).
     * @return the target; {@link #close()} closes the file.
     */
    public static FileTarget open(final Path path, final boolean direct)
    {
        final int flags = LibC.O_RDWR | (direct ? LibC.O_DIRECT : 0);
        final PosixFile file = PosixFile.open(path, flags, 0644);
        try
        {
            final int alignment = direct ? (int)AlignedMemory.DIRECT_IO_ALIGNMENT : 1;
            return new FileTarget(path.toString(), file.fd(), 0, file.size(), alignment, file);
        }
        catch (final RuntimeException e)
        {
            file.close();
            throw e;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public long sizeBytes()
    {
        return sizeBytes;
    }

    @Override
    public int alignment()
    {
        return alignment;
    }

    @Override
    public int fd()
    {
        return fd;
    }

    @Override
    public long fdOffset()
    {
        return fdOffset;
    }

    /** Closes the file when this target owns it ({@link #open}); otherwise does nothing. */
    @Override
    public void close()
    {
        if (owned != null)
        {
            owned.close();
        }
    }

    @Override
    public String toString()
    {
        return "FileTarget(" + name + ", fd=" + fd + ", off=" + fdOffset + ", size=" + sizeBytes + ")";
    }
}
