package dev.conduit.gdspath.loader;

/**
 * Where a {@link Loader} stands, enough to continue elsewhere: a loader opened from this state hands
 * out exactly the batches the original would have handed out next (computed, not replayed).
 *
 * @param epoch         the epoch of the next batch.
 * @param sampleInEpoch positions of this rank's epoch order already handed out (a batch multiple).
 * @param seed          the shuffle seed.
 * @param worldSize     ranks sharing the data.
 * @param rank          this rank.
 */
public record LoaderState(long epoch, long sampleInEpoch, long seed, int worldSize, int rank)
{
    /**
     * @param epoch         the epoch of the next batch, {@code >= 0}.
     * @param sampleInEpoch positions handed out, {@code >= 0}.
     * @param seed          the shuffle seed.
     * @param worldSize     {@code >= 1}.
     * @param rank          {@code 0..worldSize-1}.
     */
    public LoaderState
    {
        if (epoch < 0 || sampleInEpoch < 0 || worldSize < 1 || rank < 0 || rank >= worldSize)
        {
            throw new IllegalArgumentException("bad loader state: epoch=" + epoch + " sampleInEpoch=" + sampleInEpoch
                + " worldSize=" + worldSize + " rank=" + rank);
        }
    }
}
