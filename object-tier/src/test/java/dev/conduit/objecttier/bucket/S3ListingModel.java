package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3's listing rules written as plainly as possible, for the listing properties to compare
 * against: the items under {@code prefix} after the marker, in UTF-8 order of key (then upload
 * id), each listed as itself or rolled up into the common prefix that ends at the delimiter's
 * first occurrence after the prefix; a common prefix equal to a key marker without an upload id
 * was the previous page's last entry and is not repeated; the first {@code max} entries form the
 * page. Objects are items with an empty id. {@link #assertPagesAsModel} pages through a real listing
 * and checks it page by page against these rules.
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

        /** @return the key marker of the next page: the last entry's key or common prefix, "" when not truncated. */
        String nextKey()
        {
            if (!truncated)
            {
                return "";
            }
            final Entry last = entries.getLast();
            return last.item() != null ? last.item().key() : last.commonPrefix();
        }

        /** @return the id marker of the next page: the last item's id, "" after a common prefix or when not truncated. */
        String nextId()
        {
            return truncated && entries.getLast().item() != null ? entries.getLast().item().id() : "";
        }
    }

    /**
     * One page as the listing under test returned it, in the model's terms.
     *
     * @param items          the objects or uploads listed.
     * @param commonPrefixes the common prefixes.
     * @param truncated      whether more follow.
     * @param nextKey        the key marker to continue from.
     * @param nextId         the upload id marker to continue from ("" for objects).
     */
    record Listed(List<Item> items, List<String> commonPrefixes, boolean truncated, String nextKey, String nextId)
    {
    }

    /** The listing under test: one page from the given markers. */
    @FunctionalInterface
    interface Lister
    {
        /**
         * @param markerKey list after this key ("" = from the start).
         * @param markerId  with markerKey: after this upload of that key.
         * @return the page.
         */
        Listed list(String markerKey, String markerId);
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

    /**
     * Pages through {@code lister} from {@code startKey}, following the markers each page returns,
     * and checks every page against the model's page from the same markers, then the concatenation
     * against the model's whole listing.
     *
     * @param items     everything in the bucket.
     * @param prefix    the prefix.
     * @param delimiter the delimiter, or "".
     * @param startKey  the first page's key marker (no upload id marker).
     * @param max       page size.
     * @param lister    the listing under test, with the same prefix, delimiter and page size.
     */
    static void assertPagesAsModel(
        final Collection<Item> items, final String prefix, final String delimiter, final String startKey, final int max, final Lister lister)
    {
        final List<Item> allItems = new ArrayList<>();
        final List<String> allPrefixes = new ArrayList<>();
        String markerKey = startKey;
        String markerId = "";
        for (int pages = 0; ; pages++)
        {
            assertTrue(pages <= items.size() + 1, "the listing makes progress");
            final Listed page = lister.list(markerKey, markerId);
            final Page expected = page(items, prefix, delimiter, markerKey, markerId, max);
            final String after = "after '" + markerKey + "'/'" + markerId + "'";
            assertEquals(expected.items(), page.items(), after);
            assertEquals(expected.commonPrefixes(), page.commonPrefixes(), after);
            assertEquals(expected.truncated(), page.truncated(), after);
            assertEquals(expected.nextKey(), page.nextKey(), after);
            assertEquals(expected.nextId(), page.nextId(), after);
            allItems.addAll(expected.items());
            allPrefixes.addAll(expected.commonPrefixes());
            if (!page.truncated())
            {
                break;
            }
            markerKey = page.nextKey();
            markerId = page.nextId();
        }
        final Page whole = page(items, prefix, delimiter, startKey, "", Integer.MAX_VALUE);
        assertEquals(whole.items(), allItems, "paging loses or repeats no item");
        assertEquals(whole.commonPrefixes(), allPrefixes, "paging loses or repeats no common prefix");
    }

    private static boolean isAfterMarker(final Item item, final String markerKey, final String markerId)
    {
        final int byKey = UTF8.compare(item.key(), markerKey);
        return markerId.isEmpty() ? byKey > 0 : byKey > 0 || (byKey == 0 && item.id().compareTo(markerId) > 0);
    }
}
