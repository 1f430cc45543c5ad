package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Free space of one namespace's data region: a bitmap of 4 KiB blocks (1 = used) plus a used-block
 * count per allocation unit, so whole free units (for aligned large extents) and partly used units
 * (slabs for small objects) are found without scanning bits. Rebuilt from the catalog on open;
 * never written to disk.
 *
 * <p>Threading: not thread-safe; {@link Allocator} serialises all calls.
 */
final class SpaceMap
{
    private final int namespaceIndex;
    private final long dataOffsetBytes;
    private final long blockCount;
    private final int blocksPerUnit;
    private final int unitCount;
    private final long[] bits;
    private final int[] unitUsedBlocks;
    private long usedBlocks;
    private int slabCursor;

    SpaceMap(final int namespaceIndex, final long dataOffsetBytes, final long dataLengthBytes, final int blocksPerUnit)
    {
        this.namespaceIndex = namespaceIndex;
        this.dataOffsetBytes = dataOffsetBytes;
        this.blockCount = dataLengthBytes / Bytes.BLOCK;
        this.blocksPerUnit = blocksPerUnit;
        this.unitCount = (int)(blockCount / blocksPerUnit);
        this.bits = new long[(int)((blockCount + 63) >>> 6)];
        this.unitUsedBlocks = new int[unitCount];
    }

    int namespaceIndex()
    {
        return namespaceIndex;
    }

    long blockCount()
    {
        return blockCount;
    }

    long usedBlocks()
    {
        return usedBlocks;
    }

    long freeBlocks()
    {
        return blockCount - usedBlocks;
    }

    /**
     * @param offsetBytes physical offset.
     * @param lengthBytes length.
     * @return true when the range is block-aligned and inside the data region.
     */
    boolean contains(final long offsetBytes, final long lengthBytes)
    {
        return offsetBytes >= dataOffsetBytes && lengthBytes > 0
            && (offsetBytes % Bytes.BLOCK) == 0 && (lengthBytes % Bytes.BLOCK) == 0
            && offsetBytes - dataOffsetBytes <= blockCount * Bytes.BLOCK - lengthBytes;
    }

    /**
     * Marks a range used.
     *
     * @param offsetBytes physical offset (validated with {@link #contains}).
     * @param lengthBytes length.
     * @return false, changing nothing, when any block was already used (an overlap).
     */
    boolean markUsed(final long offsetBytes, final long lengthBytes)
    {
        final long first = (offsetBytes - dataOffsetBytes) / Bytes.BLOCK;
        final long count = lengthBytes / Bytes.BLOCK;
        if (!allFree(first, count))
        {
            return false;
        }
        setRange(first, count, true);
        return true;
    }

    /**
     * Marks a range free.
     *
     * @param offsetBytes physical offset.
     * @param lengthBytes length.
     */
    void markFree(final long offsetBytes, final long lengthBytes)
    {
        setRange((offsetBytes - dataOffsetBytes) / Bytes.BLOCK, lengthBytes / Bytes.BLOCK, false);
    }

    /**
     * Packs a small object into a slab: a partly used unit with a long enough hole, else a free unit.
     *
     * @param blocks blocks needed (at most one unit).
     * @return the extent, or null when no unit has room.
     */
    Extent allocateSlots(final int blocks)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int n = 0; n < unitCount; n++)
            {
                final int unit = (slabCursor + n) % unitCount;
                final int used = unitUsedBlocks[unit];
                final boolean candidate = pass == 0 ? used > 0 && used + blocks <= blocksPerUnit : used == 0;
                if (candidate)
                {
                    final long start = freeRunInUnit(unit, blocks);
                    if (start >= 0)
                    {
                        slabCursor = unit;
                        setRange(start, blocks, true);
                        return extent(start, blocks);
                    }
                }
            }
        }
        return null;
    }

    /**
     * Places a large column: one run of whole free units if one is long enough, else several runs
     * of whole free units, else any free blocks.
     *
     * @param blocks    blocks needed.
     * @param maxExtents most extents the column may use.
     * @return the extents in column order, or null (nothing changed) when it does not fit.
     */
    List<Extent> allocateColumn(final long blocks, final int maxExtents)
    {
        if (blocks > freeBlocks())
        {
            return null;
        }
        final int unitsNeeded = (int)((blocks + blocksPerUnit - 1) / blocksPerUnit);
        final int run = findFreeUnitRun(unitsNeeded);
        if (run >= 0)
        {
            final long start = (long)run * blocksPerUnit;
            setRange(start, blocks, true);
            return List.of(extent(start, blocks));
        }
        final List<Extent> taken = new ArrayList<>();
        long remaining = takeUnitRuns(blocks, maxExtents, taken);
        if (remaining > 0)
        {
            remaining = takeBlockRuns(remaining, maxExtents, taken);
        }
        if (remaining > 0)
        {
            for (final Extent e : taken)
            {
                markFree(e.offsetBytes(), e.lengthBytes());
            }
            return null;
        }
        return taken;
    }

    /** @return this namespace's line of the space report. */
    SpaceReport.NamespaceSpace report()
    {
        long freeUnitBlocks = 0;
        long longestRun = 0;
        long run = 0;
        int partialUnits = 0;
        for (int u = 0; u < unitCount; u++)
        {
            if (unitUsedBlocks[u] == 0)
            {
                freeUnitBlocks += blocksPerUnit;
                run++;
                longestRun = Math.max(longestRun, run);
            }
            else
            {
                run = 0;
                if (unitUsedBlocks[u] < blocksPerUnit)
                {
                    partialUnits++;
                }
            }
        }
        return new SpaceReport.NamespaceSpace(namespaceIndex, blockCount * Bytes.BLOCK, usedBlocks * Bytes.BLOCK,
            freeUnitBlocks * Bytes.BLOCK, longestRun * blocksPerUnit * Bytes.BLOCK, partialUnits);
    }

    private long takeUnitRuns(final long blocks, final int maxExtents, final List<Extent> taken)
    {
        long remaining = blocks;
        int u = 0;
        while (remaining > 0 && u < unitCount && taken.size() < maxExtents)
        {
            if (unitUsedBlocks[u] != 0)
            {
                u++;
                continue;
            }
            int end = u;
            while (end < unitCount && unitUsedBlocks[end] == 0)
            {
                end++;
            }
            final long start = (long)u * blocksPerUnit;
            final long take = Math.min(remaining, (long)(end - u) * blocksPerUnit);
            setRange(start, take, true);
            taken.add(extent(start, take));
            remaining -= take;
            u = end;
        }
        return remaining;
    }

    private long takeBlockRuns(final long blocks, final int maxExtents, final List<Extent> taken)
    {
        long remaining = blocks;
        long b = 0;
        while (remaining > 0 && b < blockCount && taken.size() < maxExtents)
        {
            if ((b & 63) == 0 && bits[(int)(b >>> 6)] == -1L)
            {
                b += 64;
                continue;
            }
            if (isUsed(b))
            {
                b++;
                continue;
            }
            long end = b;
            while (end < blockCount && end - b < remaining && !isUsed(end))
            {
                end++;
            }
            setRange(b, end - b, true);
            taken.add(extent(b, end - b));
            remaining -= end - b;
            b = end;
        }
        return remaining;
    }

    private int findFreeUnitRun(final int units)
    {
        int run = 0;
        for (int u = 0; u < unitCount; u++)
        {
            run = unitUsedBlocks[u] == 0 ? run + 1 : 0;
            if (run == units)
            {
                return u - units + 1;
            }
        }
        return -1;
    }

    private long freeRunInUnit(final int unit, final int blocks)
    {
        final long first = (long)unit * blocksPerUnit;
        final long end = first + blocksPerUnit;
        long runStart = first;
        for (long b = first; b < end; b++)
        {
            if (isUsed(b))
            {
                runStart = b + 1;
            }
            else if (b - runStart + 1 == blocks)
            {
                return runStart;
            }
        }
        return -1;
    }

    private Extent extent(final long firstBlock, final long blocks)
    {
        return new Extent(namespaceIndex, dataOffsetBytes + firstBlock * Bytes.BLOCK, blocks * Bytes.BLOCK);
    }

    private boolean isUsed(final long block)
    {
        return (bits[(int)(block >>> 6)] & (1L << block)) != 0;
    }

    private boolean allFree(final long first, final long count)
    {
        for (long b = first; b < first + count; b++)
        {
            if (isUsed(b))
            {
                return false;
            }
        }
        return true;
    }

    private void setRange(final long first, final long count, final boolean used)
    {
        for (long b = first; b < first + count; b++)
        {
            final int word = (int)(b >>> 6);
            final long mask = 1L << b;
            final boolean was = (bits[word] & mask) != 0;
            if (was != used)
            {
                bits[word] ^= mask;
                final int unit = (int)(b / blocksPerUnit);
                if (unit < unitCount)
                {
                    unitUsedBlocks[unit] += used ? 1 : -1;
                }
                usedBlocks += used ? 1 : -1;
            }
        }
    }
}
