package dev.conduit.blocklayout;

import java.util.List;

/**
 * One namespace's share of an object: the extents whose concatenation is the column's address
 * space (docs/FORMAT.md section 3, "Striping").
 *
 * @param namespaceIndex the namespace holding every extent of the column.
 * @param extents        in column order; each on {@code namespaceIndex}.
 */
public record Column(int namespaceIndex, List<Extent> extents)
{
    /** Copies the list and checks every extent is on the column's namespace. */
    public Column
    {
        extents = List.copyOf(extents);
        for (final Extent e : extents)
        {
            if (e.namespaceIndex() != namespaceIndex)
            {
                throw new IllegalArgumentException("extent " + e + " is not on namespace " + namespaceIndex);
            }
        }
    }

    /** @return the column's length: the sum of its extents. */
    public long lengthBytes()
    {
        long total = 0;
        for (final Extent e : extents)
        {
            total += e.lengthBytes();
        }
        return total;
    }
}
