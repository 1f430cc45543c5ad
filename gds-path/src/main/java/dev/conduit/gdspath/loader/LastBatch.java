package dev.conduit.gdspath.loader;

/** What a rank does with the samples that do not fill a last batch of an epoch. */
public enum LastBatch
{
    /**
     * Every rank hands out {@code floor(floor(n / worldSize) / batchSize)} full batches per epoch;
     * the rest of the epoch's samples are skipped (they come in other epochs' orders).
     */
    DROP,
    /**
     * Every rank hands out {@code ceil(ceil(n / worldSize) / batchSize)} full batches per epoch,
     * filling the gap with repeats of its own first samples, marked {@link BatchEntry#padding()}.
     * Without the padding, every sample appears exactly once per epoch across ranks.
     */
    PAD
}
