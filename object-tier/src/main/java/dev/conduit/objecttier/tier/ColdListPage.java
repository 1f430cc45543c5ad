package dev.conduit.objecttier.tier;

import java.util.List;

/**
 * One page of a cold LIST, in local key space (the binding's cold prefix taken off).
 *
 * @param objects        the objects, in key order (size, ETag and last-modified as the cold tier lists them).
 * @param commonPrefixes the rolled-up prefixes, in order.
 * @param truncated      whether the cold tier has more after this page.
 * @param nextToken      the cold tier's continuation token when truncated, else "".
 */
record ColdListPage(List<ColdObject> objects, List<String> commonPrefixes, boolean truncated, String nextToken)
{
    /** Copies the lists. */
    ColdListPage
    {
        objects = List.copyOf(objects);
        commonPrefixes = List.copyOf(commonPrefixes);
        nextToken = nextToken == null ? "" : nextToken;
    }
}
