package dev.conduit.blocklayout.namespace;

import java.nio.file.Path;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;

/**
 * A namespace on a raw block device (an NVMe namespace such as {@code /dev/nvme0n1}), opened with
 * O_DIRECT. The capacity comes from BLKGETSIZE64 and the block size from BLKSSZGET.
 */
public final class BlockDeviceNamespace extends PosixNamespace
{
    /** The largest logical block size the 4 KiB format can address. */
    public static final int MAX_BLOCK_SIZE = 4096;

    private BlockDeviceNamespace(final PosixFile file, final int blockSize, final long capacityBytes)
    {
        super(file, blockSize, capacityBytes);
    }

    /**
     * Opens a block device for aligned direct I/O.
     *
     * @param device the device node.
     * @return the open namespace.
     * @throws ConduitException {@code NOT_A_BLOCK_DEVICE} for anything else, {@code BAD_FORMAT} for a
     *                          logical block size the format cannot use.
     */
    public static BlockDeviceNamespace open(final Path device)
    {
        return closeOnFailure(PosixFile.open(device, LibC.O_RDWR | LibC.O_DIRECT, 0), f -> from(f, device));
    }

    /** @return a namespace over an already open O_DIRECT descriptor, checked to be a usable block device. */
    static BlockDeviceNamespace from(final PosixFile file, final Path device)
    {
        if (!file.isBlockDevice())
        {
            throw new ConduitException(ErrorCode.NOT_A_BLOCK_DEVICE, device + " is not a block device (use a file namespace for regular files)");
        }
        final int blockSize = file.logicalBlockSize();
        if (blockSize <= 0 || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1)
        {
            throw new ConduitException(ErrorCode.BAD_FORMAT, device + " has a logical block size of " + blockSize + " bytes; Conduit needs a power of two up to " + MAX_BLOCK_SIZE);
        }
        return new BlockDeviceNamespace(file, blockSize, file.size() & -(long)MAX_BLOCK_SIZE);
    }
}
