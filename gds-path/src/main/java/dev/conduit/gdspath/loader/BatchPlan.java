package dev.conduit.gdspath.loader;

import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;

/**
 * Lays one batch out in its buffer: the batch's samples sorted by (shard, offset), neighbours of a
 * shard at most {@code coalesceGapBytes} apart merged into one range read (a run), the runs placed
 * one after another in the buffer, each at the buffer offset congruent to its object offset modulo
 * a page, so the store reads the aligned middle of every run straight into the buffer instead of
 * staging and copying it (a few KiB of the buffer per run are skipped for that); then the entry table
 * in the batch's (shuffled) order, pointing into them.
 *
 * <p>Runs are widened to whole CRC chunks when the data path verifies (it reads them whole anyway), else
 * to whole blocks, so no part of a run is staged: a verified read of a partly covered chunk would read
 * that chunk into the store's staging buffer and copy the covered part out, one more request and a
 * copy per end of every run. Where widened runs do not fit the buffer, they are widened less.
 *
 * <p>One plan per loader, reused for every batch (no per-batch scratch): {@link #plan} fills the
 * runs, which stay valid until the next call; the entry table is the buffer's ({@link EntryTable}).
 *
 * <p>Threading: one thread at a time (the loader's lock).
 */
final class BatchPlan
{
    private static final int WIDEN_CHUNKS = 0;
    private static final int WIDEN_BLOCKS = 1;
    private static final int WIDEN_NONE = 2;

    private int[] shardOf = new int[0];
    private Sample[] sampleOf = new Sample[0];
    private int[] byPlace = new int[0];
    private long[] bufferOffsetOfSpan = new long[0];
    private int[] runShard = new int[0];
    private long[] runStart = new long[0];
    private long[] runLength = new long[0];
    private long[] runAt = new long[0];
    private int runCount;
    private long endBytes;
    private long readBytes;
    private long neededBytes;

    /**
     * @param samples     global sample ids, in batch order (a padding repeat may name a sample twice).
     * @param padding     which of them are padding.
     * @param wholeChunks the data path verifies CRC-32C (so it reads whole chunks anyway).
     * @param entries     the buffer's table, refilled with the batch's files in batch order.
     * @throws ConduitException {@code INVALID_ARGUMENT} when the reads need more than the buffer holds.
     */
    void plan(
        final ShardCatalog catalog, final int[] samples, final boolean[] padding, final DeviceBuffer buffer,
        final long coalesceGapBytes, final boolean wholeChunks, final EntryTable entries)
    {
        final int n = samples.length;
        ensureCapacity(n);
        for (int i = 0; i < n; i++)
        {
            shardOf[i] = catalog.shardOf(samples[i]);
            sampleOf[i] = catalog.sample(shardOf[i], samples[i]);
            byPlace[i] = i;
        }
        sortByPlace(n);
        // Widest first: whole chunks (or blocks) go straight into the buffer; narrower when they do not fit.
        int widen = wholeChunks ? WIDEN_CHUNKS : WIDEN_BLOCKS;
        while (!layOut(catalog, n, buffer, coalesceGapBytes, widen))
        {
            if (widen == WIDEN_NONE)
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "a batch needs more than the "
                    + buffer.sizeBytes() + "-byte buffer (at least " + neededBytes + " bytes); raise bufferBytes");
            }
            widen++;
        }

        int entryCount = 0;
        for (int i = 0; i < n; i++)
        {
            entryCount += sampleOf[i].members().size();
        }
        entries.reset(entryCount);
        for (int i = 0; i < n; i++)
        {
            final Sample sample = sampleOf[i];
            final List<TarMember> members = sample.members();
            for (int m = 0; m < members.size(); m++)
            {
                final TarMember member = members.get(m);
                entries.add(sample.key(), member.name(),
                    bufferOffsetOfSpan[i] + (member.dataOffsetBytes() - sample.spanOffsetBytes()), member.lengthBytes(), padding[i]);
            }
            sampleOf[i] = null;                        // keep no sample alive past the batch
        }
    }

    /**
     * Lays the sorted samples out as runs, each widened as {@code widen} says.
     *
     * @return false when they do not fit the buffer ({@link #neededBytes} says how much the first misfit needed).
     */
    private boolean layOut(
        final ShardCatalog catalog, final int n, final DeviceBuffer buffer, final long coalesceGapBytes, final int widen)
    {
        runCount = 0;
        endBytes = 0;
        readBytes = 0;
        int shard = -1;
        long unit = 1;
        long start = 0;
        long spanStart = 0;
        long end = 0;
        long at = 0;
        for (int k = 0; k < n; k++)
        {
            final int i = byPlace[k];
            final Sample sample = sampleOf[i];
            final long offset = sample.spanOffsetBytes();
            // Merge with the open run when the gap is small, or when a verified read would read their chunk anyway.
            if (shardOf[i] != shard || (offset - end > coalesceGapBytes
                && (widen != WIDEN_CHUNKS || alignDown(offset, unit) >= alignUp(end, unit))))
            {
                if (!closeRun(catalog, shard, unit, start, spanStart, end, at, buffer))
                {
                    return false;
                }
                shard = shardOf[i];
                unit = widen == WIDEN_CHUNKS ? catalog.chunkBytes(shard) : widen == WIDEN_BLOCKS ? DeviceBufferPool.PAGE_BYTES : 1;
                start = alignDown(offset, unit);
                spanStart = offset;
                end = offset;
                at = endBytes + Math.floorMod(start - endBytes, DeviceBufferPool.PAGE_BYTES);
            }
            end = Math.max(end, sample.spanEndBytes());
            bufferOffsetOfSpan[i] = at + (offset - start);
        }
        return closeRun(catalog, shard, unit, start, spanStart, end, at, buffer);
    }

    /** @return range reads of the last plan. */
    int runCount()
    {
        return runCount;
    }

    /** @return bytes the last plan's reads fill (tar headers between coalesced samples included, alignment gaps not). */
    long readBytes()
    {
        return readBytes;
    }

    int runShard(final int run)
    {
        return runShard[run];
    }

    long runStart(final int run)
    {
        return runStart[run];
    }

    long runLength(final int run)
    {
        return runLength[run];
    }

    long runAt(final int run)
    {
        return runAt[run];
    }

    /**
     * Insertion sort of the batch's positions by (shard, span offset): no boxing and no comparator
     * objects, and a batch is small (quadratic in the batch size only in the worst case, with cheap
     * steps; block-shuffled batches arrive as a few sorted blocks).
     */
    private void sortByPlace(final int n)
    {
        for (int k = 1; k < n; k++)
        {
            final int i = byPlace[k];
            int j = k - 1;
            while (j >= 0 && before(i, byPlace[j]))
            {
                byPlace[j + 1] = byPlace[j];
                j--;
            }
            byPlace[j + 1] = i;
        }
    }

    private boolean before(final int a, final int b)
    {
        return shardOf[a] != shardOf[b] ? shardOf[a] < shardOf[b] : sampleOf[a].spanOffsetBytes() < sampleOf[b].spanOffsetBytes();
    }

    /**
     * Records the run (if there is one), its end widened to the unit within the shard; the buffer's end
     * moves past it.
     *
     * @return false when it does not fit the buffer.
     */
    private boolean closeRun(
        final ShardCatalog catalog, final int shard, final long unit, final long start, final long spanStart, final long end,
        final long at, final DeviceBuffer buffer)
    {
        if (shard < 0)
        {
            return true;
        }
        final long widenedEnd = Math.max(end, Math.min(alignUp(end, unit), catalog.sizeBytes(shard)));
        final long length = widenedEnd - start;
        if (at + length > buffer.sizeBytes())
        {
            neededBytes = at + length;
            return false;
        }
        if (length > 0)
        {
            runShard[runCount] = shard;
            runStart[runCount] = start;
            runLength[runCount] = length;
            runAt[runCount] = at;
            runCount++;
        }
        // Delivered bytes: from the first sample's span to the last's (tar headers between), not the widening.
        readBytes += end - spanStart;
        endBytes = at + length;
        return true;
    }

    private static long alignDown(final long value, final long unit)
    {
        return value - Math.floorMod(value, unit);
    }

    private static long alignUp(final long value, final long unit)
    {
        return alignDown(value + unit - 1, unit);
    }

    private void ensureCapacity(final int n)
    {
        if (shardOf.length < n)
        {
            shardOf = new int[n];
            sampleOf = new Sample[n];
            byPlace = new int[n];
            bufferOffsetOfSpan = new long[n];
            runShard = new int[n];
            runStart = new long[n];
            runLength = new long[n];
            runAt = new long[n];
        }
    }
}
