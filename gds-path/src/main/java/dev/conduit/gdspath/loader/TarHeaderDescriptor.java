package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The 512-byte POSIX ustar header (with GNU's variants), read in place.
 *
 * <pre>
 *   0 name[100]   100 mode[8]   108 uid[8]   116 gid[8]   124 size[12]   136 mtime[12]
 * 148 chksum[8]   156 typeflag  157 linkname[100]          257 magic[6]  263 version[2]
 * 265 uname[32]   297 gname[32] 329 devmajor[8] 337 devminor[8]          345 prefix[155] (POSIX only)
 * </pre>
 *
 * <p>Numbers are octal text, or GNU base-256 when the first byte has its top bit set (sizes of 8 GiB
 * and more). {@code magic} is {@code "ustar\0"} for POSIX (which has {@code prefix}) and
 * {@code "ustar "} for GNU (whose bytes at 345 are other fields).
 */
final class TarHeaderDescriptor
{
    static final int BLOCK_BYTES = 512;
    static final int NAME_OFFSET = 0;
    static final int NAME_LENGTH = 100;
    static final int SIZE_OFFSET = 124;
    static final int SIZE_LENGTH = 12;
    static final int CHECKSUM_OFFSET = 148;
    static final int CHECKSUM_LENGTH = 8;
    static final int TYPEFLAG_OFFSET = 156;
    static final int MAGIC_OFFSET = 257;
    static final int PREFIX_OFFSET = 345;
    static final int PREFIX_LENGTH = 155;

    /** Regular file (old and new spelling), contiguous file. */
    static final byte TYPE_FILE = '0';
    static final byte TYPE_FILE_OLD = 0;
    static final byte TYPE_CONTIGUOUS = '7';
    /** GNU: the data is the next member's long name. */
    static final byte TYPE_GNU_LONG_NAME = 'L';
    /** pax: the data are records for the next member. */
    static final byte TYPE_PAX = 'x';

    private TarHeaderDescriptor()
    {
    }

    static boolean isZeroBlock(final MemorySegment header)
    {
        for (long i = 0; i < BLOCK_BYTES; i += 8)
        {
            if (header.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** Throws unless the stored checksum equals the unsigned sum of the header with the checksum field as spaces. */
    static void checkChecksum(final MemorySegment header, final long atBytes)
    {
        long sum = 0;
        for (int i = 0; i < BLOCK_BYTES; i++)
        {
            final boolean inField = i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + CHECKSUM_LENGTH;
            sum += inField ? ' ' : Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, i));
        }
        final long stored = number(header, CHECKSUM_OFFSET, CHECKSUM_LENGTH, atBytes);
        if (stored != sum)
        {
            throw bad(atBytes, "header checksum " + stored + " but the header sums to " + sum);
        }
    }

    static byte typeflag(final MemorySegment header)
    {
        return header.get(ValueLayout.JAVA_BYTE, TYPEFLAG_OFFSET);
    }

    static long size(final MemorySegment header, final long atBytes)
    {
        final long size = number(header, SIZE_OFFSET, SIZE_LENGTH, atBytes);
        if (size < 0)
        {
            throw bad(atBytes, "negative member size " + size);
        }
        return size;
    }

    /** @return {@code prefix/name} for POSIX ustar headers, {@code name} otherwise. */
    static String path(final MemorySegment header)
    {
        final String name = text(header, NAME_OFFSET, NAME_LENGTH);
        final boolean posix = header.get(ValueLayout.JAVA_BYTE, MAGIC_OFFSET + 5) == 0
            && text(header, MAGIC_OFFSET, 5).equals("ustar");
        if (!posix)
        {
            return name;
        }
        final String prefix = text(header, PREFIX_OFFSET, PREFIX_LENGTH);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** @return the bytes up to the first NUL (or the whole field), as UTF-8. */
    static String text(final MemorySegment bytes, final long offset, final long length)
    {
        long end = offset;
        while (end < offset + length && bytes.get(ValueLayout.JAVA_BYTE, end) != 0)
        {
            end++;
        }
        return new String(bytes.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static long roundUpToBlock(final long bytes)
    {
        return (bytes + BLOCK_BYTES - 1) & -BLOCK_BYTES;
    }

    static ConduitException bad(final long atBytes, final String why)
    {
        return new ConduitException(ErrorCode.BAD_FORMAT, "not a readable tar at byte " + atBytes + ": " + why);
    }

    private static long number(final MemorySegment header, final int offset, final int length, final long atBytes)
    {
        final byte first = header.get(ValueLayout.JAVA_BYTE, offset);
        if ((first & 0x80) != 0)
        {
            // GNU base-256: big-endian two's complement of the remaining bytes (first byte's top bit is the marker).
            long value = first & 0x3F;
            for (int i = 1; i < length; i++)
            {
                if ((value >>> 55) != 0)
                {
                    throw bad(atBytes, "base-256 number overflows 63 bits");
                }
                value = (value << 8) | Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, offset + i));
            }
            return (first & 0x40) != 0 ? -value : value;
        }
        long value = 0;
        int i = 0;
        while (i < length && (header.get(ValueLayout.JAVA_BYTE, offset + i) == ' '))
        {
            i++;
        }
        for (; i < length; i++)
        {
            final byte c = header.get(ValueLayout.JAVA_BYTE, offset + i);
            if (c == 0 || c == ' ')
            {
                break;
            }
            if (c < '0' || c > '7')
            {
                throw bad(atBytes, "octal field at " + offset + " holds '" + (char)c + "'");
            }
            value = (value << 3) | (c - '0');
        }
        return value;
    }
}
