package dev.conduit.blocklayout;

import java.util.List;

/**
 * A contiguous, 4 KiB-aligned run of bytes on one namespace of the store.
 *
 * @param namespaceIndex index of the namespace within the store (0..N-1).
 * @param offsetBytes    absolute offset on that namespace, a multiple of 4096.
 * @param lengthBytes    length, a positive multiple of 4096.
 */
public record Extent(int namespaceIndex, long offsetBytes, long lengthBytes)
{
    /** @return the first byte after the extent. */
    public long endBytes()
    {
        return offsetBytes + lengthBytes;
    }

    /**
     * Appends {@code e} to a column's extent list, growing the last extent instead when {@code e}
     * starts where it ends (so a column stays as few extents as possible).
     *
     * @param column extents in column order, on {@code e}'s namespace.
     * @param e      the next extent of the column.
     */
    static void appendMerged(final List<Extent> column, final Extent e)
    {
        final Extent tail = column.isEmpty() ? null : column.getLast();
        if (tail != null && tail.endBytes() == e.offsetBytes())
        {
            column.set(column.size() - 1, new Extent(tail.namespaceIndex(), tail.offsetBytes(), tail.lengthBytes() + e.lengthBytes()));
        }
        else
        {
            column.add(e);
        }
    }

    @Override
    public String toString()
    {
        return "ns" + namespaceIndex + "@" + offsetBytes + "+" + lengthBytes;
    }
}
