package dev.conduit.objecttier.bucket;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.VersionListRequest;
import dev.conduit.blocklayout.VersionPage;

/**
 * ListObjectVersions over one bucket: the store's version listing ({@link ObjectStore#listVersions})
 * with S3's delimiter roll-up, as {@link RollUpListing} does for ListObjects: every version of a key
 * that contains the delimiter after the prefix rolls up into one common prefix, which counts as one
 * entry and is skipped past ({@link VersionListRequest#afterPrefix}) rather than read. A key marker
 * that is itself a common prefix (with no version id marker) means "after that whole group".
 */
final class VersionRollUpListing
{
    /** Store page size: a full S3 page of 1000 plus one to tell whether more follow. */
    private static final int STORE_PAGE = 1001;

    private VersionRollUpListing()
    {
    }

    /**
     * @param store           the store.
     * @param bucket          the bucket.
     * @param prefix          the S3 prefix.
     * @param delimiter       the delimiter ("" = none).
     * @param keyMarker       S3 key marker ("" = from the start).
     * @param versionIdMarker version id marker ("" = none).
     * @param maxEntries      page size; 0 lists nothing.
     * @return one page.
     */
    static VersionListResult list(
        final ObjectStore store,
        final String bucket,
        final String prefix,
        final String delimiter,
        final String keyMarker,
        final String versionIdMarker,
        final int maxEntries)
    {
        final String base = StoreKeys.objectPrefix(bucket);
        final List<Object> entries = new ArrayList<>();
        if (maxEntries <= 0)
        {
            return new VersionListResult(List.of(), List.of(), false, "", "");
        }
        final VersionListRequest plain = new VersionListRequest(base + prefix, keyMarker.isEmpty() ? "" : base + keyMarker,
            keyMarker.isEmpty() ? "" : versionIdMarker, Math.min(maxEntries + 1, STORE_PAGE), "");
        VersionListRequest request = !keyMarker.isEmpty() && versionIdMarker.isEmpty()
            && RollUpListing.commonPrefixOf(keyMarker, prefix, delimiter).equals(keyMarker)
            ? plain.afterPrefix(base + keyMarker)
            : plain;
        while (true)
        {
            final VersionPage page = store.listVersions(request);
            VersionListRequest next = page.truncated() ? request.after(page) : null;
            for (final VersionPage.Entry e : page.versions())
            {
                final String s3Key = e.record().key().substring(base.length());
                final String commonPrefix = RollUpListing.commonPrefixOf(s3Key, prefix, delimiter);
                if (commonPrefix.isEmpty())
                {
                    entries.add(new S3Version(S3Object.fromRecord(bucket, s3Key, e.record()), e.latest()));
                }
                else if (entries.isEmpty() || !commonPrefix.equals(entries.getLast()))
                {
                    entries.add(commonPrefix);
                    next = new VersionListRequest(request.prefix(), e.record().key(), "", request.limit(), base + commonPrefix);
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
                return result(entries, true);
            }
            if (next == null)
            {
                return result(entries, false);
            }
            request = next;
        }
    }

    private static VersionListResult result(final List<Object> entries, final boolean truncated)
    {
        final List<S3Version> versions = new ArrayList<>();
        final List<String> commonPrefixes = new ArrayList<>();
        for (final Object entry : entries)
        {
            if (entry instanceof S3Version v)
            {
                versions.add(v);
            }
            else
            {
                commonPrefixes.add((String)entry);
            }
        }
        if (!truncated)
        {
            return new VersionListResult(versions, commonPrefixes, false, "", "");
        }
        final Object last = entries.getLast();
        return last instanceof S3Version v
            ? new VersionListResult(versions, commonPrefixes, true, v.object().key(), v.versionId())
            : new VersionListResult(versions, commonPrefixes, true, (String)last, "");
    }
}
