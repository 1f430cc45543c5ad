package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ListQuery;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;

/**
 * One page of a read-through bucket's listing: the local page and one cold LIST page, both from
 * the page's position, merged in key order. A key on both sides is listed once, as the local
 * object (its size, ETag and last-modified); a common prefix on both sides once; a cold key whose
 * local delete still has its cold delete pending is left out.
 *
 * <p>Each side lists at most a page's worth, so the merge is exact only up to the horizon: the
 * last entry of each side that has more. A page takes the entries up to the horizon, at most
 * max-keys of them; it can be shorter than max-keys and still truncated (the cold side's page
 * ended early in the merged order, or hidden keys took its places). A page is never empty and
 * truncated: when hidden keys fill a whole cold page, it lists on (another cold LIST), so a v1
 * client always has a last key to continue from.
 */
final class MergedListing
{
    private final BucketStore buckets;
    private final ColdClient cold;
    private final Predicate<String> pendingColdDelete;
    private final TierMetrics metrics;

    /**
     * @param buckets           the local buckets.
     * @param cold              the bucket's cold client.
     * @param pendingColdDelete whether a key was deleted here and its cold delete is still pending.
     * @param metrics           where cold LISTs are counted.
     */
    MergedListing(final BucketStore buckets, final ColdClient cold, final Predicate<String> pendingColdDelete,
        final TierMetrics metrics)
    {
        this.buckets = buckets;
        this.cold = cold;
        this.pendingColdDelete = pendingColdDelete;
        this.metrics = metrics;
    }

    /**
     * @param bucket the bucket.
     * @param query  prefix, delimiter and max-keys (its start-after is ignored: {@code from} says where to start).
     * @param from   where the page starts.
     * @return the page and where the next one starts.
     */
    MergedPage page(final String bucket, final ListQuery query, final ListPosition from)
    {
        if (query.maxKeys() <= 0)
        {
            return new MergedPage(buckets.list(bucket, query), null);
        }
        ListPosition at = from;
        while (true)
        {
            final Round round = round(bucket, query, at);
            if (!round.entries().isEmpty() || round.next() == null)
            {
                return new MergedPage(round.toResult(), round.next());
            }
            at = round.next();
        }
    }

    private Round round(final String bucket, final ListQuery query, final ListPosition at)
    {
        final Side local = at.localDone() ? Side.DONE : localSide(bucket, query, at.after());
        final Side coldSide = at.coldDone() ? Side.DONE : coldSide(bucket, query, at);
        final String horizon = earlier(local.truncatedAt(), coldSide.truncatedAt());
        final List<Entry> taken = new ArrayList<>();
        boolean more = local.truncated() || coldSide.truncated();
        int l = 0;
        int c = 0;
        while (l < local.entries().size() || c < coldSide.entries().size())
        {
            final Entry localHead = l < local.entries().size() ? local.entries().get(l) : null;
            final Entry coldHead = c < coldSide.entries().size() ? coldSide.entries().get(c) : null;
            final int order = localHead == null ? 1 : coldHead == null ? -1 : KeyOrder.compare(localHead.key(), coldHead.key());
            final Entry next = order <= 0 ? localHead : coldHead;
            l += order <= 0 ? 1 : 0;
            c += order >= 0 ? 1 : 0;
            if (order > 0 && !coldHead.isCommonPrefix() && pendingColdDelete.test(coldHead.key()))
            {
                continue;
            }
            if (horizon != null && KeyOrder.compare(next.key(), horizon) > 0 || taken.size() == query.maxKeys())
            {
                more = true;
                break;
            }
            taken.add(next);
        }
        if (!more)
        {
            return new Round(taken, null);
        }
        final String after = taken.isEmpty() ? horizon : taken.getLast().key();
        final boolean coldUsedUp = coldSide.last() == null || KeyOrder.compare(coldSide.last(), after) <= 0;
        final ListPosition next = new ListPosition(after,
            at.localDone() || !local.truncated() && (local.last() == null || KeyOrder.compare(local.last(), after) <= 0),
            at.coldDone() || !coldSide.truncated() && coldUsedUp,
            coldSide.truncated() && coldUsedUp ? coldSide.nextToken() : "");
        return new Round(taken, next);
    }

    private Side localSide(final String bucket, final ListQuery query, final String after)
    {
        final ListResult page = buckets.list(bucket, new ListQuery(query.prefix(), query.delimiter(), after, query.maxKeys()));
        final List<Entry> objects = new ArrayList<>(page.objects().size());
        page.objects().forEach(object -> objects.add(new Entry(object.key(), object)));
        final List<Entry> entries = inOrder(objects, page.commonPrefixes());
        return new Side(entries, page.truncated(), entries.isEmpty() ? null : entries.getLast().key(), "");
    }

    private Side coldSide(final String bucket, final ListQuery query, final ListPosition at)
    {
        metrics.coldLists.increment();
        final ColdListPage page = cold.listPage(query.prefix(), query.delimiter(), at.after(), at.coldToken(), query.maxKeys());
        final List<Entry> objects = new ArrayList<>(page.objects().size());
        for (final ColdObject object : page.objects())
        {
            objects.add(new Entry(object.key(), new S3Object(bucket, object.key(), object.sizeBytes(), object.etag(),
                object.lastModified(), S3Metadata.EMPTY, null)));
        }
        final List<Entry> listed = inOrder(objects, page.commonPrefixes());
        final String last = listed.isEmpty() ? null : listed.getLast().key();
        // After a common prefix a start-after LIST may name that prefix again (its keys sort after it): listed already.
        final List<Entry> entries = listed.stream().filter(e -> !e.key().equals(at.after())).toList();
        return new Side(entries, page.truncated(), last, page.nextToken());
    }

    /** The objects and the common prefixes of one listing page, each in order, as one list in order. */
    private static List<Entry> inOrder(final List<Entry> objects, final List<String> commonPrefixes)
    {
        final List<Entry> out = new ArrayList<>(objects.size() + commonPrefixes.size());
        int o = 0;
        int p = 0;
        while (o < objects.size() || p < commonPrefixes.size())
        {
            if (p == commonPrefixes.size() || o < objects.size() && KeyOrder.compare(objects.get(o).key(), commonPrefixes.get(p)) < 0)
            {
                out.add(objects.get(o++));
            }
            else
            {
                out.add(new Entry(commonPrefixes.get(p++), null));
            }
        }
        return out;
    }

    private static String earlier(final String a, final String b)
    {
        if (a == null || b == null)
        {
            return a == null ? b : a;
        }
        return KeyOrder.compare(a, b) <= 0 ? a : b;
    }

    /**
     * A listed entry.
     *
     * @param key    the key, or the common prefix.
     * @param object the object, or null for a common prefix.
     */
    private record Entry(String key, S3Object object)
    {
        boolean isCommonPrefix()
        {
            return object == null;
        }
    }

    /**
     * What one side listed for a page.
     *
     * @param entries   its entries in order (the cold side's without the one equal to the position).
     * @param truncated whether it has more after them.
     * @param last      the last entry it listed (before any was left out), or null.
     * @param nextToken the cold tier's continuation token, or "".
     */
    private record Side(List<Entry> entries, boolean truncated, String last, String nextToken)
    {
        static final Side DONE = new Side(List.of(), false, null, "");

        /** @return the entry up to which this side is complete, or null when it is complete to the end. */
        String truncatedAt()
        {
            return truncated ? last : null;
        }
    }

    /**
     * A page's entries and where the next page starts.
     *
     * @param entries the entries, in order.
     * @param next    the next page's position, or null when nothing follows.
     */
    private record Round(List<Entry> entries, ListPosition next)
    {
        ListResult toResult()
        {
            final List<S3Object> objects = new ArrayList<>();
            final List<String> commonPrefixes = new ArrayList<>();
            for (final Entry entry : entries)
            {
                if (entry.isCommonPrefix())
                {
                    commonPrefixes.add(entry.key());
                }
                else
                {
                    objects.add(entry.object());
                }
            }
            return new ListResult(objects, commonPrefixes, next != null, next == null ? "" : next.after());
        }
    }
}
