package dev.conduit.objecttier.bucket;

import java.util.List;

/**
 * A page of a listing, in UTF-8 binary key order.
 *
 * @param objects        objects on this page.
 * @param commonPrefixes rolled-up prefixes on this page (each ends with the delimiter).
 * @param truncated      whether more entries follow.
 * @param nextStartAfter when truncated, the last key or common prefix of this page; the next page
 *                       starts after it.
 */
public record ListResult(List<S3Object> objects, List<String> commonPrefixes, boolean truncated, String nextStartAfter)
{
    /** Copies the lists. */
    public ListResult
    {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
        nextStartAfter = nextStartAfter == null ? "" : nextStartAfter;
    }
}
