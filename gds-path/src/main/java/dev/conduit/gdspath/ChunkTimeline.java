package dev.conduit.gdspath;

/**
 * Start and end ({@link System#nanoTime()}) of the storage reads of bounce chunks, kept only when
 * a test asks for it, so read/copy overlap can be computed against the CUDA copies' own times.
 *
 * <p>Threading: written by the scheduler threads completing reads (synchronised), read after the reads.
 */
final class ChunkTimeline
{
    private final long[] startsNs;
    private final long[] endsNs;
    private int count;

    ChunkTimeline(final int capacity)
    {
        this.startsNs = new long[capacity];
        this.endsNs = new long[capacity];
    }

    synchronized void record(final long startNs, final long endNs)
    {
        if (count < startsNs.length)
        {
            startsNs[count] = startNs;
            endsNs[count] = endNs;
            count++;
        }
    }

    /** @return pairs {start, end}, in completion order. */
    synchronized long[][] intervals()
    {
        final long[][] out = new long[count][];
        for (int i = 0; i < count; i++)
        {
            out[i] = new long[] {startsNs[i], endsNs[i]};
        }
        return out;
    }
}
