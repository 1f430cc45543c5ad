package dev.conduit.nvmeof.pdu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian accessors for NVMe and NVMe/TCP structures: every multi-byte field on the wire is
 * little-endian and may sit at any byte offset, so the layouts are unaligned constants, never built
 * on the hot path.
 */
public final class Wire
{
    /** One byte. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    /** Little-endian 16-bit field. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian 32-bit field. */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian 64-bit field. */
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Wire()
    {
    }

    /** @return the unsigned byte at {@code offset}. */
    public static int u8(final MemorySegment segment, final long offset)
    {
        return segment.get(U8, offset) & 0xFF;
    }

    /** @return the unsigned 16-bit field at {@code offset}. */
    public static int u16(final MemorySegment segment, final long offset)
    {
        return segment.get(U16, offset) & 0xFFFF;
    }

    /** @return the unsigned 32-bit field at {@code offset}. */
    public static long u32(final MemorySegment segment, final long offset)
    {
        return segment.get(U32, offset) & 0xFFFF_FFFFL;
    }

    /** @return the 32-bit field at {@code offset} as raw bits. */
    public static int i32(final MemorySegment segment, final long offset)
    {
        return segment.get(U32, offset);
    }

    /** @return the 64-bit field at {@code offset}. */
    public static long u64(final MemorySegment segment, final long offset)
    {
        return segment.get(U64, offset);
    }

    /** Writes the low byte of {@code value}. */
    public static void put8(final MemorySegment segment, final long offset, final int value)
    {
        segment.set(U8, offset, (byte)value);
    }

    /** Writes the low 16 bits of {@code value}. */
    public static void put16(final MemorySegment segment, final long offset, final int value)
    {
        segment.set(U16, offset, (short)value);
    }

    /** Writes a 32-bit field. */
    public static void put32(final MemorySegment segment, final long offset, final int value)
    {
        segment.set(U32, offset, value);
    }

    /** Writes a 64-bit field. */
    public static void put64(final MemorySegment segment, final long offset, final long value)
    {
        segment.set(U64, offset, value);
    }

    /**
     * Writes an ASCII string into a fixed-width field, padded with {@code pad} (NUL for NQNs, space
     * for the serial and model number of Identify Controller).
     */
    public static void putAscii(
        final MemorySegment segment, final long offset, final int widthBytes, final String value, final byte pad)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        final int n = Math.min(bytes.length, widthBytes);
        MemorySegment.copy(bytes, 0, segment, U8, offset, n);
        segment.asSlice(offset + n, widthBytes - n).fill(pad);
    }

    /**
     * Reads a NUL-terminated (or full-width) ASCII field; control path only (it allocates).
     */
    public static String ascii(final MemorySegment segment, final long offset, final int widthBytes)
    {
        int n = 0;
        while (n < widthBytes && segment.get(U8, offset + n) != 0)
        {
            n++;
        }
        final byte[] bytes = new byte[n];
        MemorySegment.copy(segment, U8, offset, bytes, 0, n);
        return new String(bytes, StandardCharsets.US_ASCII).strip();
    }
}
