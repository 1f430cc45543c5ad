package dev.conduit.scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.conduit.nativebindings.DeviceNumbers;

/**
 * Names the physical device a target's I/O reaches, so that targets on one device share one
 * scheduler device and its queue depth ({@link IoScheduler#attach(DeviceTarget)}):
 *
 * <ul>
 *   <li>an fd-backed target: {@code fstat} gives the device number ({@code st_rdev} for a block
 *       device special file, else {@code st_dev}, the file system's device); a partition is mapped
 *       to its whole disk through {@code /sys/dev/block/MAJ:MIN} (its parent directory in sysfs), so
 *       {@code "block:259:0"} for every partition and file system of {@code nvme0n1};</li>
 *   <li>a file system with no block device behind it (tmpfs, overlay, NFS: an anonymous major 0 or
 *       no sysfs entry) is its own device, {@code "fs:0:42"};</li>
 *   <li>a target without an fd (memory, fault-injecting namespaces) is its own device,
 *       {@code "target:NAME@ID"}.</li>
 * </ul>
 *
 * A device-mapper or md device is identified as itself, not as the disks under it.
 *
 * <p>Threading: stateless. Control path: allocates and reads sysfs.
 */
public final class DeviceIdentity
{
    private static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");

    private DeviceIdentity()
    {
    }

    /**
     * @param target a target.
     * @return the identity of the device its I/O reaches.
     */
    public static String of(final DeviceTarget target)
    {
        final int fd = target.fd();
        if (fd < 0)
        {
            return "target:" + target.name() + "@" + Integer.toHexString(System.identityHashCode(target));
        }
        final long dev = DeviceNumbers.ofFd(fd);
        return ofDeviceNumbers(DeviceNumbers.major(dev), DeviceNumbers.minor(dev));
    }

    /**
     * @param major device major number.
     * @param minor device minor number.
     * @return {@code "block:MAJ:MIN"} of the whole disk, or {@code "fs:MAJ:MIN"} when no block device backs it.
     */
    static String ofDeviceNumbers(final int major, final int minor)
    {
        final Path entry = SYS_DEV_BLOCK.resolve(major + ":" + minor);
        if (major == 0 || !Files.exists(entry))
        {
            return "fs:" + major + ":" + minor;
        }
        try
        {
            if (Files.exists(entry.resolve("partition")))
            {
                final Path wholeDisk = entry.toRealPath().getParent();
                return "block:" + Files.readString(wholeDisk.resolve("dev")).trim();
            }
            return "block:" + major + ":" + minor;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + entry, e);
        }
    }
}
