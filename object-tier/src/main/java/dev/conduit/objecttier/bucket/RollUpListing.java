package dev.conduit.objecttier.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;

/**
 * S3's delimiter listing over one store prefix, shared by ListObjects and ListMultipartUploads:
 * records under {@code base + prefix} in UTF-8 byte order, where every S3 key that contains the
 * delimiter after the prefix is rolled up into one common prefix (the key up to and including the
 * delimiter's first occurrence after the prefix). A common prefix counts as one entry, is placed
 * where its first key would be, and the listing seeks past every key under it
 * ({@link ListRequest#afterPrefix}) instead of reading them.
 *
 * <p>A cursor that is itself a common prefix (the last entry of an earlier page) means "after
 * that whole group", so a page never repeats the previous page's last
 * common prefix. Any other cursor is a plain exclusive lower bound; if it falls inside a group,
 * that group's common prefix is returned (its remaining keys are after the cursor).
 */
final class RollUpListing
{
    /** Store page size: enough to fill an S3 page of 1000 in one call without a delimiter. */
    private static final int STORE_PAGE = 1001;

    /** Maps a store key under {@code base} to the S3 key it stands for. */
    @FunctionalInterface
    interface KeyMapper
    {
        /**
         * @param storeKey a store key under the listing's base.
         * @return its S3 key.
         */
        String s3Key(String storeKey);
    }

    /**
     * One entry: a record, or a common prefix.
     *
     * @param record       the record, or null for a common prefix.
     * @param s3Key        the record's S3 key, or the common prefix.
     */
    record Entry(ObjectRecord record, String s3Key)
    {
        boolean isCommonPrefix()
        {
            return record == null;
        }
    }

    /**
     * @param entries   at most the requested number, in order.
     * @param truncated whether more follow.
     */
    record Page(List<Entry> entries, boolean truncated)
    {
        /**
         * Separates records from common prefixes, as both S3 listings report them in two lists.
         *
         * @param toItem makes the listed item of a record entry.
         * @param <T>    the item type.
         * @return the items and the common prefixes, each in listing order.
         */
        <T> Split<T> split(final Function<Entry, T> toItem)
        {
            final List<T> items = new ArrayList<>();
            final List<String> commonPrefixes = new ArrayList<>();
            for (final Entry entry : entries)
            {
                if (entry.isCommonPrefix())
                {
                    commonPrefixes.add(entry.s3Key());
                }
                else
                {
                    items.add(toItem.apply(entry));
                }
            }
            return new Split<>(items, commonPrefixes);
        }
    }

    /**
     * A page separated into its two S3 lists.
     *
     * @param items          the records, as listed items.
     * @param commonPrefixes the common prefixes.
     * @param <T>            the item type.
     */
    record Split<T>(List<T> items, List<String> commonPrefixes)
    {
    }

    private RollUpListing()
    {
    }

    /**
     * @param store      the store.
     * @param base       the store prefix S3 keys are relative to.
     * @param prefix     the S3 prefix.
     * @param delimiter  the delimiter ("" = none).
     * @param storeAfter exclusive store-key cursor ("" = from the start).
     * @param s3After    the S3 form of the cursor, checked for being a common prefix itself ("" = none).
     * @param maxEntries page size; 0 lists nothing.
     * @param mapper     store key to S3 key.
     * @return one page.
     */
    static Page list(
        final ObjectStore store,
        final String base,
        final String prefix,
        final String delimiter,
        final String storeAfter,
        final String s3After,
        final int maxEntries,
        final KeyMapper mapper)
    {
        final List<Entry> entries = new ArrayList<>();
        if (maxEntries <= 0)
        {
            return new Page(entries, false);
        }
        final ListRequest plain = new ListRequest(base + prefix, storeAfter, Math.min(maxEntries + 1, STORE_PAGE), Map.of());
        ListRequest request = !s3After.isEmpty() && commonPrefixOf(s3After, prefix, delimiter).equals(s3After)
            ? plain.afterPrefix(base + s3After)
            : plain;
        while (true)
        {
            final ListPage page = store.list(request);
            ListRequest next = page.truncated() ? request.after(page.nextStartAfter()) : null;
            for (final ObjectRecord record : page.objects())
            {
                final String s3Key = mapper.s3Key(record.key());
                final String commonPrefix = commonPrefixOf(s3Key, prefix, delimiter);
                if (commonPrefix.isEmpty())
                {
                    entries.add(new Entry(record, s3Key));
                }
                else if (entries.isEmpty() || !entries.getLast().s3Key().equals(commonPrefix))
                {
                    entries.add(new Entry(null, commonPrefix));
                    // Seek past the group rather than read it; the cursor also moves past this key.
                    next = request.after(record.key()).afterPrefix(base + commonPrefix);
                    break;
                }
                if (entries.size() > maxEntries)
                {
                    break;
                }
            }
            if (entries.size() > maxEntries)
            {
                entries.removeLast();
                return new Page(entries, true);
            }
            if (next == null)
            {
                return new Page(entries, false);
            }
            request = next;
        }
    }

    /**
     * @param s3Key     a key.
     * @param prefix    the listing's prefix.
     * @param delimiter the delimiter.
     * @return the common prefix {@code s3Key} rolls up into, or "" when it is listed as itself.
     */
    static String commonPrefixOf(final String s3Key, final String prefix, final String delimiter)
    {
        if (delimiter.isEmpty() || !s3Key.startsWith(prefix))
        {
            return "";
        }
        final int at = s3Key.indexOf(delimiter, prefix.length());
        return at < 0 ? "" : s3Key.substring(0, at + delimiter.length());
    }
}
