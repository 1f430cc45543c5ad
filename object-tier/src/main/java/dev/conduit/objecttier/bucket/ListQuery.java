package dev.conduit.objecttier.bucket;

/**
 * One page of a listing: keys under {@code prefix} strictly after {@code startAfter}, with keys
 * that contain {@code delimiter} after the prefix rolled up into common prefixes. ListObjects v1's
 * marker, v2's start-after and continuation token all become {@code startAfter}.
 *
 * @param prefix     key prefix ("" = all).
 * @param delimiter  roll-up delimiter ("" = none).
 * @param startAfter exclusive lower bound ("" = from the start).
 * @param maxKeys    at most this many keys plus common prefixes (0..1000).
 */
public record ListQuery(String prefix, String delimiter, String startAfter, int maxKeys)
{
    /** Normalises nulls to "". */
    public ListQuery
    {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null ? "" : delimiter;
        startAfter = startAfter == null ? "" : startAfter;
    }
}
