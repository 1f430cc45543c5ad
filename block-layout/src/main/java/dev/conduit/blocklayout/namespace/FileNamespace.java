package dev.conduit.blocklayout.namespace;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.PosixFile;

/**
 * A namespace in a regular file on ext4 or XFS, opened with O_DIRECT (no page cache) and fully
 * preallocated with fallocate(2) so extents are contiguous on disk, later writes cannot fail with
 * ENOSPC, and GPUDirect Storage can DMA from it. Where fallocate is not supported (ext4 without
 * extents, ext3, some network filesystems) the file is reserved by writing zeros instead.
 *
 * <p>The block size is 4096: the largest logical sector size in use, so one alignment is valid on
 * every device under the filesystem.
 */
public final class FileNamespace extends PosixNamespace
{
    /** Block size of every file namespace. */
    public static final int BLOCK_SIZE = 4096;
    /** Write size when reserving space by writing zeros (filesystems without fallocate). */
    static final long ZERO_FILL_BYTES = 1 << 20;

    private FileNamespace(final PosixFile file, final long capacityBytes)
    {
        super(file, BLOCK_SIZE, capacityBytes);
    }

    /**
     * Creates and preallocates a new file; fails if it exists. When it fails after the file was
     * created (O_DIRECT refused after the create, or fallocate out of space part way, which keeps
     * the blocks it got), the file is removed, so a failed create neither leaves a file behind nor
     * holds on to space.
     *
     * @param path          file to create.
     * @param capacityBytes size, rounded down to {@link #BLOCK_SIZE}.
     * @return the open namespace.
     */
    public static FileNamespace create(final Path path, final long capacityBytes)
    {
        final long roundedBytes = capacityBytes & -(long)BLOCK_SIZE;
        if (roundedBytes <= 0)
        {
            throw new IllegalArgumentException("capacityBytes must be at least " + BLOCK_SIZE + ": " + capacityBytes);
        }
        final PosixFile file;
        try
        {
            file = openDirect(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL);
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.DIRECT_IO_UNSUPPORTED)
            {
                // O_CREAT took effect before the filesystem refused O_DIRECT, and O_EXCL makes the file ours.
                deleteCreated(path, e);
            }
            throw e;
        }
        try
        {
            return closeOnFailure(file, f ->
            {
                preallocate(f, roundedBytes);
                f.sync();
                return new FileNamespace(f, roundedBytes);
            });
        }
        catch (final RuntimeException e)
        {
            deleteCreated(path, e);
            throw e;
        }
    }

    private static void deleteCreated(final Path path, final RuntimeException primary)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException deleteFailure)
        {
            primary.addSuppressed(deleteFailure);
        }
    }

    /**
     * Opens an existing file namespace.
     *
     * @param path the file.
     * @return the open namespace; its capacity is the file size rounded down to {@link #BLOCK_SIZE}.
     */
    public static FileNamespace open(final Path path)
    {
        return closeOnFailure(openDirect(path, LibC.O_RDWR), FileNamespace::from);
    }

    /** @return a namespace over an already open O_DIRECT file, sized by the file. */
    static FileNamespace from(final PosixFile file)
    {
        return new FileNamespace(file, file.size() & -(long)BLOCK_SIZE);
    }

    static PosixFile openDirect(final Path path, final int flags)
    {
        try
        {
            return PosixFile.open(path, flags | LibC.O_DIRECT, 0644);
        }
        catch (final NativeException e)
        {
            if (e.nativeCode() == Errno.EINVAL)
            {
                throw new ConduitException(ErrorCode.DIRECT_IO_UNSUPPORTED, "the filesystem holding " + path + " does not support O_DIRECT (tmpfs?); put the data directory on ext4 or XFS", e);
            }
            throw e;
        }
    }

    private static void preallocate(final PosixFile file, final long lengthBytes)
    {
        try
        {
            file.allocate(0, lengthBytes);
        }
        catch (final NativeException e)
        {
            if (e.nativeCode() != Errno.EOPNOTSUPP)
            {
                throw e;
            }
            // Without fallocate only written blocks are reserved. A sparse file would let a later
            // journal write meet ENOSPC, which stops the store, so write zeros the way glibc's
            // posix_fallocate emulation does: slower to create, same guarantee, no contiguity.
            zeroFill(file, lengthBytes);
        }
    }

    private static void zeroFill(final PosixFile file, final long lengthBytes)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment zeros = arena.allocate(Math.min(ZERO_FILL_BYTES, lengthBytes), BLOCK_SIZE);
            for (long offsetBytes = 0; offsetBytes < lengthBytes; offsetBytes += zeros.byteSize())
            {
                file.writeFully(zeros.asSlice(0, Math.min(zeros.byteSize(), lengthBytes - offsetBytes)), offsetBytes);
            }
        }
    }
}
