package dev.conduit.blocklayout;

import java.util.List;

/**
 * A page of listing results.
 *
 * @param objects        matching records in key order.
 * @param truncated      true when more matches follow.
 * @param nextStartAfter cursor for the next page (the last key here); empty when not truncated.
 */
public record ListPage(List<ObjectRecord> objects, boolean truncated, String nextStartAfter)
{
    /** Copies the list. */
    public ListPage
    {
        objects = List.copyOf(objects);
    }
}
