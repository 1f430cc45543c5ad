package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prefix listing with a start-after cursor, a skipped prefix and a metadata filter over the sorted
 * catalog: seeks (binary search, no scan) to the first candidate key, stops at the first key past the prefix, and decodes only the records
 * it returns (the filter reads metadata in place).
 */
final class CatalogListing
{
    private CatalogListing()
    {
    }

    static ListPage list(final CatalogIndex catalog, final ListRequest request)
    {
        final byte[] prefix = Keys.utf8(request.prefix());
        final byte[] after = request.startAfter().isEmpty() ? null : Keys.utf8(request.startAfter());
        final byte[][] filter = metadataFilter(request.metadataEquals());
        final List<byte[]> hits = new ArrayList<>();
        final boolean[] more = {false};
        byte[] from = prefix.length > 0 ? prefix : null;
        boolean inclusive = true;
        if (after != null && Arrays.compareUnsigned(after, prefix) >= 0)
        {
            from = after;
            inclusive = false;
        }
        if (!request.skipPrefix().isEmpty())
        {
            final byte[] successor = successor(Keys.utf8(request.skipPrefix()));
            if (successor == null)
            {
                return new ListPage(List.of(), false, "");
            }
            final int cmp = from == null ? 1 : Arrays.compareUnsigned(successor, from);
            if (cmp > 0)
            {
                from = successor;
                inclusive = true;
            }
        }
        catalog.scan(from, inclusive, record ->
        {
            if (!ObjectRecordDescriptor.keyStartsWith(record, prefix))
            {
                return false;
            }
            if (!matches(record, filter))
            {
                return true;
            }
            if (hits.size() == request.limit())
            {
                more[0] = true;
                return false;
            }
            hits.add(record);
            return true;
        });
        final List<ObjectRecord> objects = new ArrayList<>(hits.size());
        for (final byte[] record : hits)
        {
            objects.add(ObjectRecordDescriptor.decode(record));
        }
        return new ListPage(objects, more[0], more[0] ? objects.getLast().key() : "");
    }

    /**
     * @param prefix UTF-8 bytes.
     * @return the smallest byte string greater than every string that begins with {@code prefix}
     *         (drop trailing 0xFF bytes, add one to the last), or null when there is none.
     */
    static byte[] successor(final byte[] prefix)
    {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte)0xFF)
        {
            end--;
        }
        if (end == 0)
        {
            return null;
        }
        final byte[] next = Arrays.copyOf(prefix, end);
        next[end - 1]++;
        return next;
    }

    private static byte[][] metadataFilter(final Map<String, String> equals)
    {
        final byte[][] filter = new byte[equals.size() * 2][];
        int i = 0;
        for (final Map.Entry<String, String> e : equals.entrySet())
        {
            filter[i++] = Keys.utf8(e.getKey());
            filter[i++] = Keys.utf8(e.getValue());
        }
        return filter;
    }

    private static boolean matches(final byte[] record, final byte[][] filter)
    {
        for (int i = 0; i < filter.length; i += 2)
        {
            if (!ObjectRecordDescriptor.metaEquals(record, filter[i], filter[i + 1]))
            {
                return false;
            }
        }
        return true;
    }
}
