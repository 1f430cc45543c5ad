package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Chunk CRCs of a stream of unknown length: combining CRCs equals the CRC of the concatenation,
 * and a stream that outgrows the chunk limit ends with exactly the CRCs a writer that knew the
 * size would have computed.
 */
class ChunkCrcsTest
{
    @Property(tries = 200)
    void shouldEqualCrcOfConcatenationWhenCombined(
        @ForAll @IntRange(min = 0, max = 5000) final int firstBytes,
        @ForAll @IntRange(min = 0, max = 5000) final int secondBytes,
        @ForAll final long seed)
    {
        final MemorySegment data = MemorySegment.ofArray(TestStores.content(seed, firstBytes + secondBytes));
        final int first = Bytes.crc32c(data, 0, firstBytes);
        final int second = Bytes.crc32c(data, firstBytes, secondBytes);
        assertEquals(Bytes.crc32c(data, 0, firstBytes + secondBytes), ChunkCrcs.combine(first, second, secondBytes));
    }

    @Property(tries = 60)
    void shouldMatchKnownSizeCrcsWhenStreamOutgrowsChunkLimit(
        @ForAll @IntRange(min = 0, max = 40_000) final int sizeBytes,
        @ForAll @IntRange(min = 1, max = 3000) final int pieceBytes,
        @ForAll final long seed)
    {
        final int baseShift = 10;
        final int maxChunks = 4;
        final MemorySegment data = MemorySegment.ofArray(TestStores.content(seed, sizeBytes));
        final ChunkCrcs streamed = new ChunkCrcs(baseShift, maxChunks);
        final SplittableRandom random = new SplittableRandom(seed);
        int at = 0;
        while (at < sizeBytes)
        {
            final int n = Math.min(sizeBytes - at, 1 + random.nextInt(pieceBytes));
            streamed.update(data, at, n);
            at += n;
        }
        final int[] actual = streamed.finish();

        int shift = baseShift;
        while (((sizeBytes + (1L << shift) - 1) >>> shift) > maxChunks)
        {
            shift++;
        }
        assertEquals(shift, streamed.chunkShift());
        final int count = (int)((sizeBytes + (1L << shift) - 1) >>> shift);
        final int[] expected = new int[count];
        for (int i = 0; i < count; i++)
        {
            final long start = (long)i << shift;
            expected[i] = Bytes.crc32c(data, start, Math.min(1L << shift, sizeBytes - start));
        }
        assertArrayEquals(expected, actual);
    }
}
