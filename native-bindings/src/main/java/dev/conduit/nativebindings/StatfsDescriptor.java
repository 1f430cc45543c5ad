package dev.conduit.nativebindings;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Offsets into the 64-bit {@code struct statfs} (identical on x86_64 and aarch64), plus the
 * filesystem magic numbers Conduit cares about.
 *
 * <pre>
 *  0  f_type   8  f_bsize  16 f_blocks  24 f_bfree  32 f_bavail
 *  40 f_files  48 f_ffree  56 f_fsid    64 f_namelen 72 f_frsize 80 f_flags  ... 120 bytes
 * </pre>
 */
public final class StatfsDescriptor
{
    /** Bytes to allocate. */
    public static final long LENGTH = 120;
    /** ext2/3/4. */
    public static final long EXT4_SUPER_MAGIC = 0xEF53L;
    /** XFS. */
    public static final long XFS_SUPER_MAGIC = 0x58465342L;
    /** Btrfs. */
    public static final long BTRFS_SUPER_MAGIC = 0x9123683EL;
    /** tmpfs (no O_DIRECT). */
    public static final long TMPFS_MAGIC = 0x01021994L;
    /** overlayfs (containers). */
    public static final long OVERLAYFS_SUPER_MAGIC = 0x794C7630L;
    /** NFS. */
    public static final long NFS_SUPER_MAGIC = 0x6969L;
    /** F2FS. */
    public static final long F2FS_SUPER_MAGIC = 0xF2F52010L;
    /** ZFS. */
    public static final long ZFS_SUPER_MAGIC = 0x2FC12FC1L;
    /** Lustre. */
    public static final long LUSTRE_SUPER_MAGIC = 0x0BD00BD0L;
    /** 9p (VM shared folders). */
    public static final long V9FS_MAGIC = 0x01021997L;
    /** FUSE. */
    public static final long FUSE_SUPER_MAGIC = 0x65735546L;

    private StatfsDescriptor()
    {
    }

    /**
     * @param statfs a filled {@code struct statfs}.
     * @return {@code f_type}, the filesystem magic.
     */
    public static long type(final MemorySegment statfs)
    {
        return statfs.get(JAVA_LONG, 0) & 0xFFFF_FFFFL;
    }

    /**
     * @param statfs a filled {@code struct statfs}.
     * @return {@code f_bsize}.
     */
    public static long blockSize(final MemorySegment statfs)
    {
        return statfs.get(JAVA_LONG, 8);
    }

    /**
     * @param statfs a filled {@code struct statfs}.
     * @return total bytes.
     */
    public static long totalBytes(final MemorySegment statfs)
    {
        return statfs.get(JAVA_LONG, 16) * blockSize(statfs);
    }

    /**
     * @param statfs a filled {@code struct statfs}.
     * @return bytes available to unprivileged users.
     */
    public static long availableBytes(final MemorySegment statfs)
    {
        return statfs.get(JAVA_LONG, 32) * blockSize(statfs);
    }

    /**
     * @param magic {@code f_type}.
     * @return a short name such as {@code "ext4"}, or {@code "0x<hex>"} when unknown.
     */
    public static String typeName(final long magic)
    {
        if (magic == EXT4_SUPER_MAGIC)
        {
            return "ext4";
        }
        if (magic == XFS_SUPER_MAGIC)
        {
            return "xfs";
        }
        if (magic == BTRFS_SUPER_MAGIC)
        {
            return "btrfs";
        }
        if (magic == TMPFS_MAGIC)
        {
            return "tmpfs";
        }
        if (magic == OVERLAYFS_SUPER_MAGIC)
        {
            return "overlay";
        }
        if (magic == NFS_SUPER_MAGIC)
        {
            return "nfs";
        }
        if (magic == F2FS_SUPER_MAGIC)
        {
            return "f2fs";
        }
        if (magic == ZFS_SUPER_MAGIC)
        {
            return "zfs";
        }
        if (magic == LUSTRE_SUPER_MAGIC)
        {
            return "lustre";
        }
        if (magic == V9FS_MAGIC)
        {
            return "9p";
        }
        if (magic == FUSE_SUPER_MAGIC)
        {
            return "fuse";
        }
        return "0x" + Long.toHexString(magic);
    }
}
