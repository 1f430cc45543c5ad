package dev.conduit.objecttier.tier;

import dev.conduit.objecttier.bucket.ListResult;

/**
 * One page of a merged listing (local and cold keys of a read-through bucket).
 *
 * @param result the page, as a local listing reports one ({@link ListResult#nextStartAfter()} is its last entry when truncated).
 * @param next   where the next page starts, or null when the page is the last.
 */
public record MergedPage(ListResult result, ListPosition next)
{
}
