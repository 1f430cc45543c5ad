package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Prefix listing with a start-after cursor and a metadata filter over the sorted catalog: seeks to
 * the first candidate key, stops at the first key past the prefix, and decodes only the records
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
        final boolean fromCursor = after != null && Arrays.compareUnsigned(after, prefix) >= 0;
        catalog.scan(fromCursor ? after : prefix.length > 0 ? prefix : null, !fromCursor, record ->
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
