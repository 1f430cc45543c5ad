package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Which device an open file's I/O goes to, as a {@code dev_t} (major:minor): a block device
 * special file stands for the device it names ({@code st_rdev}); any other file lives on its
 * file system's device ({@code st_dev}). {@link #major}/{@link #minor} decode glibc's encoding.
 *
 * <p>Threading: stateless; safe from any thread. Control path: allocates a confined arena per call.
 */
public final class DeviceNumbers
{
    private DeviceNumbers()
    {
    }

    /**
     * @param fd an open descriptor.
     * @return the {@code dev_t} of the device its I/O reaches.
     * @throws NativeException when fstat fails.
     */
    public static long ofFd(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment stat = arena.allocate(StatDescriptor.LENGTH, Long.BYTES);
            LibC.check(LibC.fstat(fd, stat), "fstat(fd=" + fd + ")");
            final boolean blockDevice = (StatDescriptor.mode(stat) & StatDescriptor.S_IFMT) == StatDescriptor.S_IFBLK;
            return blockDevice ? StatDescriptor.representedDevice(stat) : StatDescriptor.device(stat);
        }
    }

    /**
     * @param dev a {@code dev_t}.
     * @return its major number (glibc {@code gnu_dev_major}).
     */
    public static int major(final long dev)
    {
        return (int)(((dev >>> 32) & 0xffff_f000L) | ((dev >>> 8) & 0xfffL));
    }

    /**
     * @param dev a {@code dev_t}.
     * @return its minor number (glibc {@code gnu_dev_minor}).
     */
    public static int minor(final long dev)
    {
        return (int)(((dev >>> 12) & 0xffff_ff00L) | (dev & 0xffL));
    }
}
