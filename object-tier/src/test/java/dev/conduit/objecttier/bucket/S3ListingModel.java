package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * S3's listing rules written as plainly as possible, for the listing properties to compare
 * against: the items under {@code prefix} after the marker, in UTF-8 order of key (then upload
 * id), each listed as itself or rolled up into the common prefix that ends at the delimiter's
 * first occurrence after the prefix; a common prefix equal to a key marker without an upload id
 * was the previous page's last entry and is not repeated; the first {@code max} entries form the
 * page. Objects are items with an empty id.
 */
final class S3ListingModel
{
    static final Comparator<String> UTF8 = (x, y) ->
        Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));

    private static final Comparator<Item> ORDER = Comparator.comparing(Item::key, UTF8).thenComparing(Item::id);

    /**
     * One object ({@code id} empty) or upload.
     *
     * @param key the S3 key.
     * @param id  the upload id, or "".
     */
    record Item(String key, String id)
    {
    }

    /**
     * One entry of a page.
     *
     * @param item         the item, or null for a common prefix.
     * @param commonPrefix the common prefix, or null for an item.
     */
    record Entry(Item item, String commonPrefix)
    {
    }

    /**
     * @param entries   the page.
     * @param truncated whether more follow.
     */
    record Page(List<Entry> entries, boolean truncated)
    {
        List<Item> items()
        {
            return entries.stream().filter(e -> e.item() != null).map(Entry::item).toList();
        }

        List<String> commonPrefixes()
        {
            return entries.stream().filter(e -> e.item() == null).map(Entry::commonPrefix).toList();
        }
    }

    private S3ListingModel()
    {
    }

    /**
     * @param items     everything in the bucket.
     * @param prefix    the prefix.
     * @param delimiter the delimiter, or "".
     * @param markerKey list after this key ("" = from the start).
     * @param markerId  with markerKey: after this upload of that key; "" = after every item of markerKey.
     * @param max       page size.
     * @return the page S3 returns.
     */
    static Page page(
        final Collection<Item> items, final String prefix, final String delimiter, final String markerKey, final String markerId, final int max)
    {
        final List<Entry> entries = new ArrayList<>();
        for (final Item item : items.stream().sorted(ORDER).toList())
        {
            if (!item.key().startsWith(prefix) || !isAfterMarker(item, markerKey, markerId))
            {
                continue;
            }
            final int at = delimiter.isEmpty() ? -1 : item.key().indexOf(delimiter, prefix.length());
            if (at < 0)
            {
                entries.add(new Entry(item, null));
                continue;
            }
            final String commonPrefix = item.key().substring(0, at + delimiter.length());
            final boolean previousPagesLast = markerId.isEmpty() && commonPrefix.equals(markerKey);
            final boolean alreadyListed = !entries.isEmpty() && commonPrefix.equals(entries.getLast().commonPrefix());
            if (!previousPagesLast && !alreadyListed)
            {
                entries.add(new Entry(null, commonPrefix));
            }
        }
        final int n = Math.min(max, entries.size());
        return new Page(List.copyOf(entries.subList(0, n)), entries.size() > n);
    }

    private static boolean isAfterMarker(final Item item, final String markerKey, final String markerId)
    {
        final int byKey = UTF8.compare(item.key(), markerKey);
        return markerId.isEmpty() ? byKey > 0 : byKey > 0 || (byKey == 0 && item.id().compareTo(markerId) > 0);
    }
}
