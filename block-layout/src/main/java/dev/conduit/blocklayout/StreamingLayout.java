package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The layout of a put whose size is not known yet: a fixed set of columns (one per namespace,
 * striped as {@link ObjectLayout} stripes), each grown by whole stripe units as data arrives and
 * trimmed to what the final size needs at commit. Growth roughly doubles a column, up to
 * {@link #MAX_GROWTH_BYTES} a step, and right after the column's last extent when that space is
 * free, so a streamed object usually ends with one extent per column.
 *
 * <p>Threading: owned by one put session; the allocator calls are synchronized.
 */
final class StreamingLayout
{
    /** Largest single growth of one column; beyond it columns grow linearly. */
    static final long MAX_GROWTH_BYTES = 256L << 20;

    private final Allocator allocator;
    private final int stripeShift;
    private final int[] namespaceIndex;
    private final List<List<Extent>> columns;
    private final long[] capacityBytes;

    /**
     * @param allocator   source of space.
     * @param stripeShift log2 of the store's stripe unit.
     */
    StreamingLayout(final Allocator allocator, final int stripeShift)
    {
        this.allocator = allocator;
        this.stripeShift = stripeShift;
        this.namespaceIndex = allocator.streamingColumns();
        this.columns = new ArrayList<>(namespaceIndex.length);
        for (int c = 0; c < namespaceIndex.length; c++)
        {
            columns.add(new ArrayList<>());
        }
        this.capacityBytes = new long[namespaceIndex.length];
    }

    /**
     * Makes sure every column can hold its share of the first {@code logicalEndBytes} bytes.
     *
     * @param logicalEndBytes bytes the object will hold at least.
     * @throws dev.conduit.core.ConduitException {@code NO_SPACE}; the space taken so far stays
     *                                                     with this layout (see {@link #extents()}).
     */
    void ensure(final long logicalEndBytes)
    {
        final long unitBytes = 1L << stripeShift;
        final long stripeBytes = unitBytes * namespaceIndex.length;
        final long neededBytes = (logicalEndBytes + stripeBytes - 1) / stripeBytes * unitBytes;
        for (int c = 0; c < namespaceIndex.length; c++)
        {
            final long missing = neededBytes - capacityBytes[c];
            if (missing > 0)
            {
                final long generous = Math.max(missing, Math.min(capacityBytes[c], MAX_GROWTH_BYTES));
                try
                {
                    grow(c, generous);
                }
                catch (final dev.conduit.core.ConduitException e)
                {
                    if (generous == missing || e.code() != ErrorCode.NO_SPACE)
                    {
                        throw e;
                    }
                    grow(c, missing);
                }
            }
        }
    }

    /** @return the layout as allocated so far (for writing; columns may be longer than the data). */
    ObjectLayout current()
    {
        return new ObjectLayout(stripeShift, columnsUpTo(namespaceIndex.length));
    }

    /**
     * Trims every column to what {@code sizeBytes} needs, frees the rest, and drops the trailing
     * columns that hold no data.
     *
     * @param sizeBytes the final object size.
     * @return the final layout.
     */
    ObjectLayout finish(final long sizeBytes)
    {
        final long[] dataBytes = ObjectLayout.columnDataBytes(sizeBytes, namespaceIndex.length, stripeShift);
        final List<Extent> surplus = new ArrayList<>();
        int used = 0;
        for (int c = 0; c < namespaceIndex.length; c++)
        {
            final List<Extent> column = columns.get(c);
            long keepBytes = Bytes.roundUp(dataBytes[c], Bytes.BLOCK);
            final List<Extent> kept = new ArrayList<>();
            for (final Extent e : column)
            {
                final long take = Math.min(keepBytes, e.lengthBytes());
                if (take > 0)
                {
                    kept.add(new Extent(e.namespaceIndex(), e.offsetBytes(), take));
                }
                if (take < e.lengthBytes())
                {
                    surplus.add(new Extent(e.namespaceIndex(), e.offsetBytes() + take, e.lengthBytes() - take));
                }
                keepBytes -= take;
            }
            column.clear();
            column.addAll(kept);
            capacityBytes[c] = Bytes.roundUp(dataBytes[c], Bytes.BLOCK);
            if (!kept.isEmpty())
            {
                used = c + 1;
            }
        }
        allocator.free(surplus);
        return new ObjectLayout(stripeShift, columnsUpTo(used));
    }

    /** @return every extent this layout holds (for freeing on abort). */
    List<Extent> extents()
    {
        final List<Extent> all = new ArrayList<>();
        for (final List<Extent> column : columns)
        {
            all.addAll(column);
        }
        return all;
    }

    private void grow(final int c, final long bytes)
    {
        final List<Extent> column = columns.get(c);
        final Extent last = column.isEmpty() ? null : column.getLast();
        final List<Extent> added = allocator.grow(namespaceIndex[c], last == null ? -1 : last.endBytes(), bytes / Bytes.BLOCK,
            Allocator.MAX_EXTENTS_PER_COLUMN - column.size());
        for (final Extent e : added)
        {
            Extent.appendMerged(column, e);
        }
        capacityBytes[c] += bytes;
    }

    private List<Column> columnsUpTo(final int count)
    {
        final List<Column> list = new ArrayList<>(count);
        for (int c = 0; c < count; c++)
        {
            list.add(new Column(namespaceIndex[c], columns.get(c)));
        }
        return list;
    }
}
