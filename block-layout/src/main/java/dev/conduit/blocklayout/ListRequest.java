package dev.conduit.blocklayout;

import java.util.Map;

/**
 * One page of a listing: keys with {@code prefix}, strictly after {@code startAfter}, whose user
 * metadata contains every entry of {@code metadataEquals}, at most {@code limit} of them.
 *
 * @param prefix         key prefix; empty for all keys.
 * @param startAfter     cursor: the last key of the previous page; empty to start at the beginning.
 * @param limit          page size, 1..{@link #MAX_LIMIT}.
 * @param metadataEquals metadata filter, e.g. {@code {"tested": "true"}}; empty for none.
 */
public record ListRequest(String prefix, String startAfter, int limit, Map<String, String> metadataEquals)
{
    /** Largest page. */
    public static final int MAX_LIMIT = 100_000;

    /** Normalises nulls and checks the limit. */
    public ListRequest
    {
        prefix = prefix == null ? "" : prefix;
        startAfter = startAfter == null ? "" : startAfter;
        metadataEquals = metadataEquals == null ? Map.of() : Map.copyOf(metadataEquals);
        if (limit < 1 || limit > MAX_LIMIT)
        {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * @param prefix key prefix.
     * @param limit  page size.
     * @return a request for the first page.
     */
    public static ListRequest of(final String prefix, final int limit)
    {
        return new ListRequest(prefix, "", limit, Map.of());
    }

    /**
     * @param cursor the previous page's {@link ListPage#nextStartAfter()}.
     * @return the request for the following page.
     */
    public ListRequest after(final String cursor)
    {
        return new ListRequest(prefix, cursor, limit, metadataEquals);
    }
}
