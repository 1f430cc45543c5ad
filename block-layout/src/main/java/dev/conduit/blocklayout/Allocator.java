package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Places objects across all namespaces of a store (docs/FORMAT.md section 6): small objects into
 * 4 KiB slots of slabs, large objects striped over the namespaces with the most free space, each
 * column starting on an allocation-unit boundary. Keeps a reserve so the next checkpoint always
 * fits, which is what lets a full store still delete and recover space.
 *
 * <p>Threading: every method is synchronized; allocation is short and CPU-only.
 */
final class Allocator
{
    /** Most extents one column may be split into before the allocation is refused. */
    static final int MAX_EXTENTS_PER_COLUMN = 1024;

    private final List<SpaceMap> maps;
    private final StoreGeometry geometry;
    private final int stripeShift;
    private long reserveBlocks;
    private long fragmentedColumns;

    Allocator(final List<SpaceMap> maps, final StoreGeometry geometry)
    {
        this.maps = List.copyOf(maps);
        this.geometry = geometry;
        this.stripeShift = Integer.numberOfTrailingZeros(geometry.stripeUnitBytes());
    }

    /**
     * @param sizeBytes object size.
     * @return where to write it; the space is marked used.
     * @throws dev.conduit.core.ConduitException {@code NO_SPACE}.
     */
    synchronized ObjectLayout allocate(final long sizeBytes)
    {
        if (sizeBytes == 0)
        {
            return new ObjectLayout(stripeShift, List.of());
        }
        final long blocks = Bytes.roundUp(sizeBytes, Bytes.BLOCK) / Bytes.BLOCK;
        if (freeBlocks() - blocks < reserveBlocks)
        {
            throw noSpace(sizeBytes);
        }
        final List<SpaceMap> byFree = byFreeSpace();
        if (sizeBytes < geometry.smallObjectMaxBytes())
        {
            for (final SpaceMap map : byFree)
            {
                final Extent slot = map.allocateSlots((int)blocks);
                if (slot != null)
                {
                    return new ObjectLayout(stripeShift, List.of(new Column(map.namespaceIndex(), List.of(slot))));
                }
            }
        }
        final long units = (sizeBytes + geometry.stripeUnitBytes() - 1) >>> stripeShift;
        for (int columns = (int)Math.min(Math.min(units, byFree.size()), 255); columns >= 1; columns--)
        {
            final ObjectLayout layout = tryStripe(sizeBytes, byFree.subList(0, columns));
            if (layout != null)
            {
                return layout;
            }
        }
        throw noSpace(sizeBytes);
    }

    /**
     * The namespaces a put of unknown length stripes over, most free space first (the same order
     * {@link #allocate} uses, before it knows how many columns the size needs).
     *
     * @return 1..255 namespace indices; columns that end up with no data are dropped at commit.
     */
    synchronized int[] streamingColumns()
    {
        final List<SpaceMap> byFree = byFreeSpace();
        final int[] indices = new int[Math.min(byFree.size(), 255)];
        for (int c = 0; c < indices.length; c++)
        {
            indices[c] = byFree.get(c).namespaceIndex();
        }
        return indices;
    }

    /**
     * Grows one column of a put of unknown length: right after its last extent when that space is
     * free (so the column stays one extent), else anywhere on the namespace.
     *
     * @param namespaceIndex the column's namespace.
     * @param afterBytes     end of the column's last extent, or -1 when it has none.
     * @param blocks         4 KiB blocks to add.
     * @param maxExtents     most new extents the column can still take.
     * @return the new extents, in column order.
     * @throws dev.conduit.core.ConduitException {@code NO_SPACE}.
     */
    synchronized List<Extent> grow(final int namespaceIndex, final long afterBytes, final long blocks, final int maxExtents)
    {
        final long lengthBytes = blocks * Bytes.BLOCK;
        if (freeBlocks() - blocks < reserveBlocks)
        {
            throw noSpace(lengthBytes);
        }
        final SpaceMap map = maps.get(namespaceIndex);
        if (afterBytes >= 0 && map.contains(afterBytes, lengthBytes) && map.markUsed(afterBytes, lengthBytes))
        {
            return List.of(new Extent(namespaceIndex, afterBytes, lengthBytes));
        }
        final List<Extent> extents = maxExtents > 0 ? map.allocateColumn(blocks, maxExtents) : null;
        if (extents == null)
        {
            throw noSpace(lengthBytes);
        }
        return extents;
    }

    /**
     * Space for a checkpoint stream; may use the reserve.
     *
     * @param lengthBytes stream length, a multiple of 4096.
     * @return up to {@link CheckpointRef#MAX_EXTENTS} extents in stream order.
     * @throws dev.conduit.core.ConduitException {@code NO_SPACE}.
     */
    synchronized List<Extent> allocateCheckpoint(final long lengthBytes)
    {
        final List<Extent> extents = new ArrayList<>();
        long remaining = lengthBytes / Bytes.BLOCK;
        for (final SpaceMap map : byFreeSpace())
        {
            if (remaining == 0)
            {
                break;
            }
            final long take = Math.min(remaining, map.freeBlocks());
            final int room = CheckpointRef.MAX_EXTENTS - extents.size();
            final List<Extent> got = take == 0 || room == 0 ? null : map.allocateColumn(take, room);
            if (got != null)
            {
                extents.addAll(got);
                remaining -= take;
            }
        }
        if (remaining > 0)
        {
            free(extents);
            throw LayoutErrors.error(ErrorCode.NO_SPACE, "no space for a " + lengthBytes + "-byte catalog checkpoint");
        }
        return extents;
    }

    /**
     * @param extents space to return.
     */
    synchronized void free(final Iterable<Extent> extents)
    {
        for (final Extent e : extents)
        {
            maps.get(e.namespaceIndex()).markFree(e.offsetBytes(), e.lengthBytes());
        }
    }

    /**
     * Marks space used while rebuilding from the catalog.
     *
     * @param namespaceIndex namespace.
     * @param offsetBytes    physical offset.
     * @param lengthBytes    length.
     * @return false when the extent is out of bounds, misaligned or overlaps space already marked.
     */
    synchronized boolean markUsed(final int namespaceIndex, final long offsetBytes, final long lengthBytes)
    {
        if (namespaceIndex < 0 || namespaceIndex >= maps.size())
        {
            return false;
        }
        final SpaceMap map = maps.get(namespaceIndex);
        return map.contains(offsetBytes, lengthBytes) && map.markUsed(offsetBytes, lengthBytes);
    }

    /**
     * @param bytes space user writes must leave free (the next checkpoint's size).
     */
    synchronized void reserve(final long bytes)
    {
        reserveBlocks = Bytes.roundUp(bytes, Bytes.BLOCK) / Bytes.BLOCK;
    }

    /** @return columns that had to be split over several extents or placed off unit alignment. */
    synchronized long fragmentedColumns()
    {
        return fragmentedColumns;
    }

    /** @return space and fragmentation. */
    synchronized SpaceReport report()
    {
        final List<SpaceReport.NamespaceSpace> lines = new ArrayList<>(maps.size());
        for (final SpaceMap map : maps)
        {
            lines.add(map.report());
        }
        return new SpaceReport(lines, reserveBlocks * Bytes.BLOCK);
    }

    private ObjectLayout tryStripe(final long sizeBytes, final List<SpaceMap> targets)
    {
        final long[] dataBytes = ObjectLayout.columnDataBytes(sizeBytes, targets.size(), stripeShift);
        final List<Column> columns = new ArrayList<>(targets.size());
        for (int c = 0; c < targets.size(); c++)
        {
            final SpaceMap map = targets.get(c);
            final List<Extent> extents = map.allocateColumn(Bytes.roundUp(dataBytes[c], Bytes.BLOCK) / Bytes.BLOCK, MAX_EXTENTS_PER_COLUMN);
            if (extents == null)
            {
                for (final Column done : columns)
                {
                    free(done.extents());
                }
                return null;
            }
            if (extents.size() > 1 || extents.getFirst().offsetBytes() % geometry.allocationUnitBytes() != 0)
            {
                fragmentedColumns++;
            }
            columns.add(new Column(map.namespaceIndex(), extents));
        }
        return new ObjectLayout(stripeShift, columns);
    }

    private List<SpaceMap> byFreeSpace()
    {
        final List<SpaceMap> sorted = new ArrayList<>(maps);
        sorted.sort(Comparator.comparingLong(SpaceMap::freeBlocks).reversed().thenComparingInt(SpaceMap::namespaceIndex));
        return sorted;
    }

    private long freeBlocks()
    {
        long free = 0;
        for (final SpaceMap map : maps)
        {
            free += map.freeBlocks();
        }
        return free;
    }

    private dev.conduit.core.ConduitException noSpace(final long sizeBytes)
    {
        return LayoutErrors.error(ErrorCode.NO_SPACE, "no space for a " + sizeBytes + "-byte object: "
            + freeBlocks() * Bytes.BLOCK + " bytes free, " + reserveBlocks * Bytes.BLOCK + " reserved for the catalog checkpoint");
    }
}
