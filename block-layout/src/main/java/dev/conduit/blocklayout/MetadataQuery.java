package dev.conduit.blocklayout;

import java.util.List;

/**
 * A search of the catalog by user metadata: keys under a prefix whose metadata satisfies every
 * predicate (AND), in key order, one page at a time ({@link ObjectStore#find}).
 *
 * @param keyPrefix  only keys that begin with it ("" for all).
 * @param predicates conditions that must all hold (none: every key under the prefix).
 * @param startAfter the previous page's {@link ListPage#nextStartAfter()}, or "".
 * @param limit      page size, 1..{@value ListRequest#MAX_LIMIT}.
 */
public record MetadataQuery(String keyPrefix, List<MetadataPredicate> predicates, String startAfter, int limit)
{
    /** Copies the list and checks the bounds. */
    public MetadataQuery
    {
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        startAfter = startAfter == null ? "" : startAfter;
        predicates = List.copyOf(predicates);
        if (limit < 1 || limit > ListRequest.MAX_LIMIT)
        {
            throw new IllegalArgumentException("limit must be 1.." + ListRequest.MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * @param cursor the previous page's cursor.
     * @return the query for the next page.
     */
    public MetadataQuery after(final String cursor)
    {
        return new MetadataQuery(keyPrefix, predicates, cursor, limit);
    }
}
