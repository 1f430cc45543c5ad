package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Version listing over the catalog and the version history: each is scanned from the page's
 * position for at most {@code limit + 1} entries under the prefix, and the two runs are merged in
 * (key ascending, newest first) order, which is the order of the whole chain because a key's
 * current version is always its newest.
 */
final class VersionListing
{
    private VersionListing()
    {
    }

    static VersionPage list(final VersionChain chains, final VersionListRequest request)
    {
        final byte[] prefix = Keys.utf8(request.prefix());
        final byte[] markerKey = request.keyMarker().isEmpty() ? null : Keys.utf8(request.keyMarker());
        // Current versions start after the marker key (its current version is its newest, so it is
        // at or before any version marker); the history starts after the marked version.
        byte[] from = prefix.length > 0 ? prefix : null;
        boolean inclusive = true;
        byte[] historyFrom = from == null ? null : CatalogIndex.historyKey(from, -1L);
        if (markerKey != null && Arrays.compareUnsigned(markerKey, prefix) >= 0)
        {
            from = markerKey;
            inclusive = false;
            historyFrom = CatalogIndex.historyKey(markerKey, markerVersion(chains, markerKey, request.versionIdMarker()));
        }
        if (!request.skipPrefix().isEmpty())
        {
            final byte[] successor = CatalogListing.successor(Keys.utf8(request.skipPrefix()));
            if (successor == null)
            {
                return new VersionPage(List.of(), false, "", "");
            }
            if (from == null || Arrays.compareUnsigned(successor, from) > 0)
            {
                from = successor;
                inclusive = true;
                historyFrom = CatalogIndex.historyKey(successor, -1L);
            }
        }
        final int wanted = request.limit() + 1;
        final List<byte[]> currents = collect(chains.current(), from, inclusive, prefix, wanted);
        final List<byte[]> older = collect(chains.history(), historyFrom, historyFrom == null || inclusive, prefix, wanted);
        final List<VersionPage.Entry> entries = new ArrayList<>(request.limit());
        int c = 0;
        int h = 0;
        byte[] lastKeyNewest = null;
        while (entries.size() < wanted && (c < currents.size() || h < older.size()))
        {
            final byte[] next;
            if (h == older.size() || c < currents.size()
                && CatalogIndex.BY_KEY_NEWEST_FIRST.compareRecords(currents.get(c), older.get(h)) < 0)
            {
                next = currents.get(c++);
            }
            else
            {
                next = older.get(h++);
            }
            if (lastKeyNewest == null || ObjectRecordDescriptor.compareKey(lastKeyNewest, CatalogIndex.BY_KEY.sortKey(next)) != 0)
            {
                lastKeyNewest = chains.newest(CatalogIndex.BY_KEY.sortKey(next));
            }
            entries.add(new VersionPage.Entry(ObjectRecordDescriptor.decode(next), next == lastKeyNewest));
        }
        if (entries.size() <= request.limit())
        {
            return new VersionPage(entries, false, "", "");
        }
        entries.removeLast();
        final ObjectRecord last = entries.getLast().record();
        return new VersionPage(entries, true, last.key(), last.versionIdText());
    }

    /**
     * @return the stamp of the marked version (the history resumes after it), or 0 (after every
     *         version of the key). A marked version removed since the previous page (a lifecycle
     *         sweep removes what it lists) resumes at its id: a version's id is its first stamp,
     *         and every older version of the key was stamped before it.
     */
    private static long markerVersion(final VersionChain chains, final byte[] key, final String versionIdMarker)
    {
        if (versionIdMarker.isEmpty())
        {
            return 0;
        }
        final long id = VersionIds.parse(versionIdMarker);
        final byte[] marked = chains.find(key, id);
        return marked == null ? id : ObjectRecordDescriptor.version(marked);
    }

    private static List<byte[]> collect(final CatalogIndex index, final byte[] from, final boolean inclusive, final byte[] prefix, final int limit)
    {
        final List<byte[]> out = new ArrayList<>();
        index.scan(from, inclusive, record ->
        {
            if (!ObjectRecordDescriptor.keyStartsWith(record, prefix))
            {
                return false;
            }
            out.add(record);
            return out.size() < limit;
        });
        return out;
    }
}
