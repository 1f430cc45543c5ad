package dev.conduit.gdspath.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.ReadSpec;

/**
 * Lays one batch out in its buffer: the batch's samples sorted by (shard, offset), neighbours of a
 * shard at most {@code coalesceGapBytes} apart merged into one range read, the ranges packed from
 * the buffer's start; then the entry table in the batch's (shuffled) order, pointing into them.
 *
 * @param entries   one per file, in batch order.
 * @param reads     the range reads that fill the buffer.
 * @param usedBytes bytes of the buffer the reads fill.
 */
record BatchPlan(List<BatchEntry> entries, List<ReadSpec> reads, long usedBytes)
{
    /**
     * @param samples global sample ids, in batch order (a padding repeat may name a sample twice).
     * @param padding which of them are padding.
     * @throws ConduitException {@code INVALID_ARGUMENT} when the reads need more than the buffer holds.
     */
    static BatchPlan of(
        final ShardCatalog catalog, final int[] samples, final boolean[] padding, final DeviceBuffer buffer,
        final long coalesceGapBytes)
    {
        final int n = samples.length;
        final int[] shardOf = new int[n];
        final Sample[] sampleOf = new Sample[n];
        final Integer[] byPlace = new Integer[n];
        for (int i = 0; i < n; i++)
        {
            shardOf[i] = catalog.shardOf(samples[i]);
            sampleOf[i] = catalog.sample(shardOf[i], samples[i]);
            byPlace[i] = i;
        }
        Arrays.sort(byPlace, Comparator.<Integer>comparingInt(i -> shardOf[i]).thenComparingLong(i -> sampleOf[i].spanOffsetBytes()));

        // Runs: [runStart, runEnd) of one shard, placed at runBufferOffset.
        final long[] bufferOffsetOfSpan = new long[n];
        final List<ReadSpec> reads = new ArrayList<>();
        long used = 0;
        int runShard = -1;
        long runStart = 0;
        long runEnd = 0;
        long runAt = 0;
        for (final int i : byPlace)
        {
            final Sample sample = sampleOf[i];
            final boolean joinsRun = shardOf[i] == runShard && sample.spanOffsetBytes() - runEnd <= coalesceGapBytes;
            if (!joinsRun)
            {
                used = close(catalog, runShard, runStart, runEnd, runAt, buffer, reads, used);
                runShard = shardOf[i];
                runStart = sample.spanOffsetBytes();
                runEnd = runStart;
                runAt = used;
            }
            runEnd = Math.max(runEnd, sample.spanEndBytes());
            bufferOffsetOfSpan[i] = runAt + (sample.spanOffsetBytes() - runStart);
        }
        used = close(catalog, runShard, runStart, runEnd, runAt, buffer, reads, used);

        final List<BatchEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final Sample sample = sampleOf[i];
            for (final TarMember member : sample.members())
            {
                entries.add(new BatchEntry(sample.key(), member.name(),
                    bufferOffsetOfSpan[i] + (member.dataOffsetBytes() - sample.spanOffsetBytes()), member.lengthBytes(),
                    padding[i]));
            }
        }
        return new BatchPlan(List.copyOf(entries), List.copyOf(reads), used);
    }

    /** Adds the run's read (if there is a run) and returns the buffer bytes used after it. */
    private static long close(
        final ShardCatalog catalog, final int shard, final long start, final long end, final long at,
        final DeviceBuffer buffer, final List<ReadSpec> reads, final long used)
    {
        if (shard < 0)
        {
            return used;
        }
        final long length = end - start;
        if (at + length > buffer.sizeBytes())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "a batch needs more than the "
                + buffer.sizeBytes() + "-byte buffer (at least " + (at + length) + " bytes); raise bufferBytes");
        }
        if (length > 0)
        {
            reads.add(new ReadSpec(catalog.shardKey(shard), start, length, buffer, at));
        }
        return at + length;
    }
}
