package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an object's bytes lie: a stripe unit and the columns it is striped over. Maps logical
 * object ranges to physical (namespace, offset) pieces for reads and writes.
 *
 * <pre>{@code
 * layout.forEachPiece(0, sizeBytes, (ns, physicalOffset, logicalOffset, lengthBytes) ->
 *     namespaces.get(ns).write(buffer.asSlice(logicalOffset, roundUp(lengthBytes)), physicalOffset));
 * }</pre>
 */
public final class ObjectLayout
{
    /** The layout of an empty object: no columns. */
    public static final ObjectLayout EMPTY = new ObjectLayout(Integer.numberOfTrailingZeros(StoreGeometry.STRIPE_UNIT_DEFAULT), List.of());

    private final int stripeShift;
    private final List<Column> columns;

    /**
     * @param stripeShift log2 of the stripe unit.
     * @param columns     0..255 columns.
     */
    public ObjectLayout(final int stripeShift, final List<Column> columns)
    {
        if (stripeShift < 12 || stripeShift > 30)
        {
            throw new IllegalArgumentException("stripeShift must be between 12 and 30: " + stripeShift);
        }
        if (columns.size() > 255)
        {
            throw new IllegalArgumentException("at most 255 columns: " + columns.size());
        }
        this.stripeShift = stripeShift;
        this.columns = List.copyOf(columns);
    }

    /** Receives one physical piece of a logical range. */
    @FunctionalInterface
    public interface PieceConsumer
    {
        /**
         * @param namespaceIndex namespace of the piece.
         * @param physicalOffset offset on that namespace.
         * @param logicalOffset  offset within the object.
         * @param lengthBytes    bytes of object data in the piece (the last piece may not be block-sized).
         */
        void accept(int namespaceIndex, long physicalOffset, long logicalOffset, long lengthBytes);
    }

    /** @return log2 of the stripe unit. */
    public int stripeShift()
    {
        return stripeShift;
    }

    /** @return the stripe unit in bytes. */
    public int stripeUnitBytes()
    {
        return 1 << stripeShift;
    }

    /** @return the columns, in stripe order. */
    public List<Column> columns()
    {
        return columns;
    }

    /** @return every extent of every column. */
    public List<Extent> extents()
    {
        final List<Extent> all = new ArrayList<>();
        for (final Column c : columns)
        {
            all.addAll(c.extents());
        }
        return all;
    }

    /**
     * Splits a logical range into physical pieces, in logical order.
     *
     * @param logicalOffset start within the object.
     * @param lengthBytes   bytes.
     * @param consumer      receives each piece.
     */
    public void forEachPiece(final long logicalOffset, final long lengthBytes, final PieceConsumer consumer)
    {
        final int columnCount = columns.size();
        final long unitMask = (1L << stripeShift) - 1;
        final long end = logicalOffset + lengthBytes;
        long at = logicalOffset;
        while (at < end)
        {
            final long unit = at >>> stripeShift;
            final long within = at & unitMask;
            final long take = Math.min(unitMask + 1 - within, end - at);
            final Column column = columns.get((int)(unit % columnCount));
            final long columnOffset = ((unit / columnCount) << stripeShift) + within;
            mapColumn(column, columnOffset, at, take, consumer);
            at += take;
        }
    }

    private static void mapColumn(
        final Column column, final long columnOffset, final long logicalOffset, final long lengthBytes, final PieceConsumer consumer)
    {
        long extentStart = 0;
        long offset = columnOffset;
        long logical = logicalOffset;
        long remaining = lengthBytes;
        final List<Extent> extents = column.extents();
        // Indexed, not for-each: a read maps its range on every call and an iterator per call is garbage.
        for (int i = 0; i < extents.size(); i++)
        {
            final Extent e = extents.get(i);
            final long extentEnd = extentStart + e.lengthBytes();
            if (offset < extentEnd)
            {
                final long take = Math.min(remaining, extentEnd - offset);
                consumer.accept(column.namespaceIndex(), e.offsetBytes() + (offset - extentStart), logical, take);
                offset += take;
                logical += take;
                remaining -= take;
                if (remaining == 0)
                {
                    return;
                }
            }
            extentStart = extentEnd;
        }
        throw LayoutErrors.corrupt("layout", "column on namespace " + column.namespaceIndex()
            + " is shorter (" + extentStart + " bytes) than its data needs (offset " + offset + ")");
    }

    /**
     * @param sizeBytes   object size.
     * @param columnCount columns.
     * @param stripeShift log2 stripe unit.
     * @return bytes of data each column holds (not rounded).
     */
    public static long[] columnDataBytes(final long sizeBytes, final int columnCount, final int stripeShift)
    {
        final long[] bytes = new long[columnCount];
        if (columnCount == 0)
        {
            return bytes;
        }
        final long unitBytes = 1L << stripeShift;
        final long fullUnits = sizeBytes >>> stripeShift;
        for (int c = 0; c < columnCount; c++)
        {
            bytes[c] = (fullUnits / columnCount + (c < fullUnits % columnCount ? 1 : 0)) * unitBytes;
        }
        bytes[(int)(fullUnits % columnCount)] += sizeBytes & (unitBytes - 1);
        return bytes;
    }
}
