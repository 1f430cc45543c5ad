package dev.conduit.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Builds WebDataset-style tar shards for the loader bench: POSIX ustar members {@code <8 digits>.bin},
 * one sample each, with {@link BlockPattern} bytes (offset by the sample's number, so no two samples are
 * equal), ended by the two zero blocks of the format and padded with zero blocks to the shard size.
 *
 * <pre>
 * member = 512-byte ustar header | data | zero padding to 512
 * shard  = member* | 1024 zero bytes | zero blocks up to the shard size
 * </pre>
 *
 * <p>Threading: stateless.
 */
public final class TarShardWriter
{
    /** Tar's block. */
    public static final int BLOCK_BYTES = 512;
    private static final int END_BYTES = 2 * BLOCK_BYTES;

    private TarShardWriter()
    {
    }

    /**
     * @param shardBytes  the largest a shard may be.
     * @param sampleBytes bytes per sample.
     * @return samples that fit in one shard.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} when not even one fits.
     */
    public static int samplesPerShard(final long shardBytes, final long sampleBytes)
    {
        final long perSample = BLOCK_BYTES + roundUp(sampleBytes);
        final long n = (shardBytes - END_BYTES) / perSample;
        if (sampleBytes < 1 || n < 1 || n > Integer.MAX_VALUE)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "a shard of " + shardBytes + " bytes holds no sample of "
                + sampleBytes + " bytes (each takes a 512-byte header and is padded to 512)");
        }
        return (int)n;
    }

    /**
     * @param firstSample number of the shard's first sample (names and contents follow from it).
     * @param samples     samples in the shard.
     * @param sampleBytes bytes per sample.
     * @param shardBytes  the shard's size: zero blocks after the end marker fill it up (as tar's own record
     *                    padding does), so shards of a round size lie in whole stripe units; at least the members
     *                    and the end marker.
     * @return the shard.
     */
    public static byte[] shard(final long firstSample, final int samples, final int sampleBytes, final long shardBytes)
    {
        final int memberBytes = BLOCK_BYTES + (int)roundUp(sampleBytes);
        final byte[] tar = new byte[(int)Math.max(roundUp(shardBytes), (long)samples * memberBytes + END_BYTES)];
        for (int i = 0; i < samples; i++)
        {
            final long sample = firstSample + i;
            final int at = i * memberBytes;
            header(tar, at, String.format(Locale.ROOT, "%08d.bin", sample), sampleBytes);
            final long patternOffset = sample * sampleBytes;
            for (int b = 0; b < sampleBytes; b++)
            {
                tar[at + BLOCK_BYTES + b] = BlockPattern.byteAt(patternOffset + b);
            }
        }
        return tar;
    }

    private static void header(final byte[] tar, final int at, final String name, final long sizeBytes)
    {
        put(tar, at, name);
        put(tar, at + 100, "0000644");
        put(tar, at + 108, "0000000");
        put(tar, at + 116, "0000000");
        put(tar, at + 124, String.format(Locale.ROOT, "%011o", sizeBytes));
        put(tar, at + 136, "00000000000");
        tar[at + 156] = '0';
        put(tar, at + 257, "ustar");
        put(tar, at + 263, "00");
        // The checksum is taken with its own field as eight spaces, then written as six octal digits, NUL, space.
        for (int i = 0; i < 8; i++)
        {
            tar[at + 148 + i] = ' ';
        }
        long sum = 0;
        for (int i = 0; i < BLOCK_BYTES; i++)
        {
            sum += tar[at + i] & 0xFF;
        }
        put(tar, at + 148, String.format(Locale.ROOT, "%06o", sum));
        tar[at + 154] = 0;
        tar[at + 155] = ' ';
    }

    private static void put(final byte[] tar, final int at, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, tar, at, bytes.length);
    }

    private static long roundUp(final long bytes)
    {
        return (bytes + BLOCK_BYTES - 1) & -BLOCK_BYTES;
    }
}
