package dev.conduit.nativebindings;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Offsets into the kernel's 64-bit {@code struct stat} as glibc returns it.
 *
 * <pre>
 *  x86_64                               aarch64
 *  0   st_dev      u64                  0   st_dev      u64
 *  8   st_ino      u64                  8   st_ino      u64
 *  16  st_nlink    u64                  16  st_mode     u32
 *  24  st_mode     u32                  20  st_nlink    u32
 *  40  st_rdev     u64                  32  st_rdev     u64
 *  48  st_size     i64                  48  st_size     i64
 *  56  st_blksize  i64                  56  st_blksize  i32
 *  64  st_blocks   i64                  64  st_blocks   i64
 *  ... times, reserved; 144 bytes       ... 128 bytes
 * </pre>
 */
public final class StatDescriptor
{
    /** Bytes to allocate for a {@code struct stat} on either architecture. */
    public static final long LENGTH = 144;
    /** Offset of {@code st_dev} (the device holding the file). */
    public static final long DEV_OFFSET = 0;
    /** Offset of {@code st_mode}. */
    public static final long MODE_OFFSET = Platform.isAarch64() ? 16 : 24;
    /** Offset of {@code st_rdev}. */
    public static final long RDEV_OFFSET = Platform.isAarch64() ? 32 : 40;
    /** Offset of {@code st_size}. */
    public static final long SIZE_OFFSET = 48;
    /** Offset of {@code st_blksize}. */
    public static final long BLKSIZE_OFFSET = 56;
    /** Offset of {@code st_blocks} (512-byte units). */
    public static final long BLOCKS_OFFSET = 64;

    /** File type mask of {@code st_mode}. */
    public static final int S_IFMT = 0170000;
    /** Regular file. */
    public static final int S_IFREG = 0100000;
    /** Block device. */
    public static final int S_IFBLK = 0060000;
    /** Directory. */
    public static final int S_IFDIR = 0040000;

    private StatDescriptor()
    {
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return {@code st_mode}.
     */
    public static int mode(final MemorySegment stat)
    {
        return stat.get(JAVA_INT, MODE_OFFSET);
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return {@code st_dev}, glibc's encoding of the containing device's major and minor numbers.
     */
    public static long device(final MemorySegment stat)
    {
        return stat.get(JAVA_LONG, DEV_OFFSET);
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return {@code st_rdev}, the device a device special file stands for.
     */
    public static long representedDevice(final MemorySegment stat)
    {
        return stat.get(JAVA_LONG, RDEV_OFFSET);
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return {@code st_size} in bytes.
     */
    public static long size(final MemorySegment stat)
    {
        return stat.get(JAVA_LONG, SIZE_OFFSET);
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return {@code st_blksize}, the preferred I/O size.
     */
    public static long blockSize(final MemorySegment stat)
    {
        return Platform.isAarch64() ? stat.get(JAVA_INT, BLKSIZE_OFFSET) : stat.get(JAVA_LONG, BLKSIZE_OFFSET);
    }

    /**
     * @param stat a filled {@code struct stat}.
     * @return allocated bytes ({@code st_blocks * 512}).
     */
    public static long allocatedBytes(final MemorySegment stat)
    {
        return stat.get(JAVA_LONG, BLOCKS_OFFSET) * 512L;
    }
}
