package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The per-chunk CRC-32Cs of an object whose bytes arrive in order and whose size may be unknown:
 * one CRC per chunk of {@code 1 << chunkShift} bytes. When an object outgrows
 * {@code maxChunks} chunks the chunk size doubles and neighbouring CRCs are merged with
 * {@link #combine}, so the result is what a writer that knew the size up front would have
 * computed (docs/FORMAT.md: the chunk size grows until the object has at most 65536 chunks).
 *
 * <p>Threading: one thread at a time.
 */
final class ChunkCrcs
{
    /** Reflected CRC-32C (Castagnoli) polynomial. */
    private static final int POLYNOMIAL = 0x82F63B78;

    private final int maxChunks;
    private final CRC32C running = new CRC32C();
    private int chunkShift;
    private int[] crcs = new int[16];
    private int count;
    private long inChunkBytes;
    private long runningBytes;
    private int prefixCrc;
    private boolean hasPrefix;

    /**
     * @param chunkShift log2 of the starting chunk size.
     * @param maxChunks  most chunks before the chunk size doubles; a power of two.
     */
    ChunkCrcs(final int chunkShift, final int maxChunks)
    {
        if (Integer.bitCount(maxChunks) != 1 || maxChunks < 2)
        {
            throw new IllegalArgumentException("maxChunks must be a power of two >= 2: " + maxChunks);
        }
        this.chunkShift = chunkShift;
        this.maxChunks = maxChunks;
    }

    /**
     * Feeds the next bytes of the object.
     *
     * @param s           bytes (heap or native).
     * @param offset      start in {@code s}.
     * @param lengthBytes count.
     */
    void update(final MemorySegment s, final long offset, final long lengthBytes)
    {
        long at = 0;
        while (at < lengthBytes)
        {
            final long take = Math.min(lengthBytes - at, (1L << chunkShift) - inChunkBytes);
            Bytes.update(running, s, offset + at, take);
            at += take;
            inChunkBytes += take;
            runningBytes += take;
            if (inChunkBytes == 1L << chunkShift)
            {
                completeChunk();
            }
        }
    }

    /** @return log2 of the current chunk size. */
    int chunkShift()
    {
        return chunkShift;
    }

    /** @return the CRCs of every chunk, the last (partial) one included. */
    int[] finish()
    {
        if (inChunkBytes > 0)
        {
            if (count == maxChunks)
            {
                fold();
            }
            store(chunkValue());
        }
        return Arrays.copyOf(crcs, count);
    }

    /**
     * CRC-32C of a concatenation from the CRCs of its parts (zlib's {@code crc32_combine}, over
     * GF(2) with the Castagnoli polynomial).
     *
     * @param crc1        CRC-32C of the first part.
     * @param crc2        CRC-32C of the second part.
     * @param length2Bytes length of the second part.
     * @return CRC-32C of the first part followed by the second.
     */
    static int combine(final int crc1, final int crc2, final long length2Bytes)
    {
        if (length2Bytes <= 0)
        {
            return crc1;
        }
        final int[] even = new int[32];
        final int[] odd = new int[32];
        odd[0] = POLYNOMIAL;
        int row = 1;
        for (int n = 1; n < 32; n++)
        {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd);      // two zero bits
        square(odd, even);      // four zero bits
        int crc = crc1;
        long length = length2Bytes;
        while (true)
        {
            square(even, odd);  // one more doubling: a zero byte, then 2, 4, ... bytes
            if ((length & 1) != 0)
            {
                crc = times(even, crc);
            }
            length >>>= 1;
            if (length == 0)
            {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0)
            {
                crc = times(odd, crc);
            }
            length >>>= 1;
            if (length == 0)
            {
                break;
            }
        }
        return crc ^ crc2;
    }

    private void completeChunk()
    {
        final int value = chunkValue();
        if (count == maxChunks)
        {
            // The chunk just finished is the first half of a chunk twice the size.
            fold();
            prefixCrc = value;
            hasPrefix = true;
            running.reset();
            runningBytes = 0;
            return;
        }
        store(value);
        inChunkBytes = 0;
        runningBytes = 0;
        hasPrefix = false;
        running.reset();
    }

    private int chunkValue()
    {
        final int tail = (int)running.getValue();
        return hasPrefix ? combine(prefixCrc, tail, runningBytes) : tail;
    }

    private void store(final int value)
    {
        if (count == crcs.length)
        {
            crcs = Arrays.copyOf(crcs, Math.min(maxChunks, count * 2));
        }
        crcs[count++] = value;
    }

    private void fold()
    {
        final long halfBytes = 1L << chunkShift;
        for (int i = 0; i < count / 2; i++)
        {
            crcs[i] = combine(crcs[2 * i], crcs[2 * i + 1], halfBytes);
        }
        count /= 2;
        chunkShift++;
    }

    private static int times(final int[] matrix, final int vector)
    {
        int sum = 0;
        int v = vector;
        int i = 0;
        while (v != 0)
        {
            if ((v & 1) != 0)
            {
                sum ^= matrix[i];
            }
            v >>>= 1;
            i++;
        }
        return sum;
    }

    private static void square(final int[] square, final int[] matrix)
    {
        for (int n = 0; n < 32; n++)
        {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
