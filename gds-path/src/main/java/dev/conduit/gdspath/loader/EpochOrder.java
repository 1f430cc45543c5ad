package dev.conduit.gdspath.loader;

/**
 * The order in which an epoch visits every sample, a pure function of (catalog, seed, epoch, block
 * and window sizes), and each rank's contiguous part of it.
 *
 * <ol>
 *   <li>Each shard is cut into blocks of {@code blockSamples} consecutive samples.</li>
 *   <li>The blocks of all shards are shuffled (Fisher-Yates over a SplitMix64 sequence seeded from
 *       {@code seed} and {@code epoch}) and laid end to end.</li>
 *   <li>Each window of {@code windowSamples} consecutive positions is shuffled in place.</li>
 * </ol>
 *
 * <p>A batch therefore holds a few blocks' worth of neighbouring samples, which the loader reads as a
 * few large ranges; {@code windowSamples = 1} keeps block order exactly. Rank {@code r} of {@code w}
 * gets positions {@code [n*r/w, n*(r+1)/w)}: every sample belongs to exactly one rank per epoch.
 */
final class EpochOrder
{
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    // The blocks depend on the catalog and block size only: cut once. The orders are refilled per epoch and
    // the generator is this object's own state, so a new epoch allocates nothing (the Loader's steady state
    // stays garbage-free).
    private final int[] blockStart;
    private final int[] blockLength;
    private final int[] blockOrder;
    private final int[] order;
    private final int windowSamples;
    private long randomState;

    /**
     * @param catalog       the shards.
     * @param blockSamples  consecutive samples per block.
     * @param windowSamples positions per shuffled window (1: none).
     */
    EpochOrder(final ShardCatalog catalog, final int blockSamples, final int windowSamples)
    {
        final int blockCount = countBlocks(catalog, blockSamples);
        this.blockStart = new int[blockCount];
        this.blockLength = new int[blockCount];
        this.blockOrder = new int[blockCount];
        this.order = new int[catalog.totalSamples()];
        this.windowSamples = windowSamples;
        int b = 0;
        for (int s = 0; s < catalog.shardCount(); s++)
        {
            final int first = catalog.firstSample(s);
            final int count = catalog.sampleCount(s);
            for (int off = 0; off < count; off += blockSamples)
            {
                blockStart[b] = first + off;
                blockLength[b] = Math.min(blockSamples, count - off);
                b++;
            }
        }
    }

    /**
     * @return global sample ids in this epoch's order: this object's own array, refilled by the next call.
     */
    int[] permute(final long seed, final long epoch)
    {
        randomState = mix(seed, epoch);
        for (int i = 0; i < blockOrder.length; i++)
        {
            blockOrder[i] = i;
        }
        shuffle(blockOrder, 0, blockOrder.length);
        int pos = 0;
        for (final int block : blockOrder)
        {
            for (int i = 0; i < blockLength[block]; i++)
            {
                order[pos++] = blockStart[block] + i;
            }
        }
        for (int start = 0; start < order.length && windowSamples > 1; start += windowSamples)
        {
            shuffle(order, start, Math.min(order.length, start + windowSamples));
        }
        return order;
    }

    /** @return the first position of {@code rank}'s part. */
    static int rankStart(final int totalSamples, final int rank, final int worldSize)
    {
        return (int)((long)totalSamples * rank / worldSize);
    }

    /** @return one past the last position of {@code rank}'s part. */
    static int rankEnd(final int totalSamples, final int rank, final int worldSize)
    {
        return rankStart(totalSamples, rank + 1, worldSize);
    }

    private static int countBlocks(final ShardCatalog catalog, final int blockSamples)
    {
        int blocks = 0;
        for (int s = 0; s < catalog.shardCount(); s++)
        {
            blocks += (catalog.sampleCount(s) + blockSamples - 1) / blockSamples;
        }
        return blocks;
    }

    private void shuffle(final int[] a, final int from, final int to)
    {
        for (int i = to - 1; i > from; i--)
        {
            final int j = from + nextInt(i - from + 1);
            final int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** @return a number in {@code [0, bound)} from the next SplitMix64 output (multiply-shift: bias at most bound / 2^32). */
    private int nextInt(final int bound)
    {
        randomState += GOLDEN;
        return (int)((finalise(randomState) >>> 32) * bound >>> 32);
    }

    /** Distinct, well-spread seeds for every (seed, epoch) pair. */
    private static long mix(final long seed, final long epoch)
    {
        return finalise(seed * GOLDEN + (epoch + 1) * 0xBF58476D1CE4E5B9L);
    }

    /** SplitMix64's finaliser. */
    private static long finalise(final long x)
    {
        long z = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
