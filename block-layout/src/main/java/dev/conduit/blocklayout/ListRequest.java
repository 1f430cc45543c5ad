package dev.conduit.blocklayout;

import java.util.Map;

/**
 * One page of a listing: keys with {@code prefix}, strictly after {@code startAfter}, not beginning
 * with {@code skipPrefix}'s subtree, whose user metadata contains every entry of
 * {@code metadataEquals}, at most {@code limit} of them.
 *
 * <p>{@code skipPrefix} serves listings with a delimiter: once a page has rolled keys up into the
 * common prefix {@code "photos/2024/"}, the next page starts with
 * {@code request.afterPrefix("photos/2024/")} and the catalog seeks straight past every key under
 * it instead of visiting them.
 *
 * @param prefix         key prefix; empty for all keys.
 * @param startAfter     cursor: the last key of the previous page; empty to start at the beginning.
 * @param limit          page size, 1..{@link #MAX_LIMIT}.
 * @param metadataEquals metadata filter, e.g. {@code {"tested": "true"}}; empty for none.
 * @param skipPrefix     when not empty, the page starts at the first key that does not begin with
 *                       it and sorts after it (the successor of its UTF-8 bytes), or later when
 *                       {@code startAfter} says so.
 */
public record ListRequest(String prefix, String startAfter, int limit, Map<String, String> metadataEquals, String skipPrefix)
{
    /** Largest page. */
    public static final int MAX_LIMIT = 100_000;

    /** Normalises nulls and checks the limit. */
    public ListRequest
    {
        prefix = prefix == null ? "" : prefix;
        startAfter = startAfter == null ? "" : startAfter;
        metadataEquals = metadataEquals == null ? Map.of() : Map.copyOf(metadataEquals);
        skipPrefix = skipPrefix == null ? "" : skipPrefix;
        if (limit < 1 || limit > MAX_LIMIT)
        {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * A request that skips no prefix.
     *
     * @param prefix         key prefix; empty for all keys.
     * @param startAfter     cursor; empty to start at the beginning.
     * @param limit          page size.
     * @param metadataEquals metadata filter; empty for none.
     */
    public ListRequest(final String prefix, final String startAfter, final int limit, final Map<String, String> metadataEquals)
    {
        this(prefix, startAfter, limit, metadataEquals, "");
    }

    /**
     * @param prefix key prefix.
     * @param limit  page size.
     * @return a request for the first page.
     */
    public static ListRequest of(final String prefix, final int limit)
    {
        return new ListRequest(prefix, "", limit, Map.of(), "");
    }

    /**
     * @param cursor the previous page's {@link ListPage#nextStartAfter()}.
     * @return the request for the following page (a skipped prefix is no longer skipped).
     */
    public ListRequest after(final String cursor)
    {
        return new ListRequest(prefix, cursor, limit, metadataEquals, "");
    }

    /**
     * @param skipped a prefix whose every key the page must not contain, e.g. a common prefix the
     *                previous page already reported.
     * @return this request starting at the first key after every key that begins with
     *         {@code skipped} (the cursor is kept; the later of the two bounds applies).
     */
    public ListRequest afterPrefix(final String skipped)
    {
        return new ListRequest(prefix, startAfter, limit, metadataEquals, skipped);
    }
}
