package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * Little-endian layouts and CRC-32C helpers shared by every descriptor. Layouts are constants that
 * state their byte order; nothing here allocates except {@link #crc32c}'s checksum object.
 */
final class Bytes
{
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The format block: every on-disk offset and length is a multiple of it. */
    static final int BLOCK = 4096;

    private static final VarHandle ARRAY_U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle ARRAY_U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes()
    {
    }

    /**
     * @param ascii up to 8 ASCII characters.
     * @return them as a little-endian integer, so a hex dump of the field shows the text.
     */
    static long ascii(final String ascii)
    {
        final byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--)
        {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    static int u16(final byte[] b, final int offset)
    {
        return Short.toUnsignedInt((short)ARRAY_U16.get(b, offset));
    }

    static void u16(final byte[] b, final int offset, final int value)
    {
        ARRAY_U16.set(b, offset, (short)value);
    }

    static int u32(final byte[] b, final int offset)
    {
        return (int)ARRAY_U32.get(b, offset);
    }

    static void u32(final byte[] b, final int offset, final int value)
    {
        ARRAY_U32.set(b, offset, value);
    }

    static long u64(final byte[] b, final int offset)
    {
        return (long)ARRAY_U64.get(b, offset);
    }

    static void u64(final byte[] b, final int offset, final long value)
    {
        ARRAY_U64.set(b, offset, value);
    }

    static int u16(final MemorySegment s, final long offset)
    {
        return Short.toUnsignedInt(s.get(U16, offset));
    }

    static void u16(final MemorySegment s, final long offset, final int value)
    {
        s.set(U16, offset, (short)value);
    }

    static int u8(final MemorySegment s, final long offset)
    {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, offset));
    }

    static void u8(final MemorySegment s, final long offset, final int value)
    {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte)value);
    }

    /**
     * @param s      bytes.
     * @param offset start.
     * @param length count.
     * @return CRC-32C of {@code s[offset, offset + length)}.
     */
    static int crc32c(final MemorySegment s, final long offset, final long length)
    {
        final CRC32C crc = new CRC32C();
        update(crc, s, offset, length);
        return (int)crc.getValue();
    }

    /**
     * Feeds a range of a segment (heap or native) to a running checksum.
     *
     * @param crc    running checksum.
     * @param s      bytes.
     * @param offset start.
     * @param length count.
     */
    static void update(final java.util.zip.Checksum crc, final MemorySegment s, final long offset, final long length)
    {
        if (length > 0)
        {
            crc.update(s.asSlice(offset, length).asByteBuffer());
        }
    }

    /**
     * @param value  bytes or blocks.
     * @param align  power of two.
     * @return {@code value} rounded up to a multiple of {@code align}.
     */
    static long roundUp(final long value, final long align)
    {
        return (value + align - 1) & -align;
    }

    /**
     * @return a fresh MD5 digest (the S3 ETag of a single-part object), cloned from an unused one: every
     *         PUT makes one, and a provider look-up ({@code getInstance}) costs several times a clone.
     */
    static MessageDigest md5()
    {
        try
        {
            // The prototype is never updated, so concurrent clones only read it.
            return (MessageDigest)Md5Prototype.DIGEST.clone();
        }
        catch (final CloneNotSupportedException e)
        {
            return newMd5();
        }
    }

    private static MessageDigest newMd5()
    {
        try
        {
            return MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }

    /** Made on first use, not with every class that touches {@link Bytes}. */
    private static final class Md5Prototype
    {
        static final MessageDigest DIGEST = newMd5();
    }
}
