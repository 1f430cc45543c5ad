package dev.conduit.bench;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bytes whose value depends only on their position: the little-endian 8-byte word at offset
 * {@code 8k} is {@code mix(k)} (SplitMix64's finaliser). Any range read back can be checked on its own,
 * without the rest of the object and without keeping a copy of what was put.
 *
 * <p>Threading: stateless; {@link #stream} returns a new stream per call.
 */
public final class BlockPattern
{
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockPattern()
    {
    }

    /**
     * @param wordIndex position / 8.
     * @return the word stored there.
     */
    public static long word(final long wordIndex)
    {
        long z = wordIndex * 0x9E3779B97F4A7C15L + 0x6A09E667F3BCC909L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param offsetBytes position in the object.
     * @return the byte stored there.
     */
    public static byte byteAt(final long offsetBytes)
    {
        return (byte)(word(offsetBytes >>> 3) >>> ((offsetBytes & 7) * 8));
    }

    /**
     * @param bytes             memory holding a range of the object.
     * @param objectOffsetBytes where in the object {@code bytes} starts.
     * @return the object offset of the first byte that differs from the pattern, or {@code -1} when all match.
     */
    public static long firstMismatch(final MemorySegment bytes, final long objectOffsetBytes)
    {
        final long length = bytes.byteSize();
        long i = 0;
        // Byte by byte up to a word boundary of the object, then whole words, then the tail.
        for (; i < length && ((objectOffsetBytes + i) & 7) != 0; i++)
        {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != byteAt(objectOffsetBytes + i))
            {
                return objectOffsetBytes + i;
            }
        }
        for (; i + 8 <= length; i += 8)
        {
            if (bytes.get(WORD, i) != word((objectOffsetBytes + i) >>> 3))
            {
                return firstByteMismatch(bytes, objectOffsetBytes, i, i + 8);
            }
        }
        return firstByteMismatch(bytes, objectOffsetBytes, i, length);
    }

    private static long firstByteMismatch(final MemorySegment bytes, final long objectOffsetBytes, final long from,
        final long to)
    {
        for (long i = from; i < to; i++)
        {
            if (bytes.get(ValueLayout.JAVA_BYTE, i) != byteAt(objectOffsetBytes + i))
            {
                return objectOffsetBytes + i;
            }
        }
        return -1;
    }

    /**
     * @param sizeBytes length.
     * @return the pattern's first {@code sizeBytes} bytes, as a stream to put.
     */
    public static InputStream stream(final long sizeBytes)
    {
        return new InputStream()
        {
            private long position;

            @Override
            public int read()
            {
                return position < sizeBytes ? byteAt(position++) & 0xFF : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len)
            {
                if (position >= sizeBytes)
                {
                    return -1;
                }
                final int n = (int)Math.min(len, sizeBytes - position);
                long wordIndex = -1;
                long word = 0;
                for (int i = 0; i < n; i++)
                {
                    final long at = position + i;
                    if (at >>> 3 != wordIndex)
                    {
                        wordIndex = at >>> 3;
                        word = word(wordIndex);
                    }
                    b[off + i] = (byte)(word >>> ((at & 7) * 8));
                }
                position += n;
                return n;
            }
        };
    }
}
