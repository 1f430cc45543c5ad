package dev.conduit.objecttier.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * ListMultipartUploads against {@link S3ListingModel}: random keys with one to three uploads each,
 * listed with a prefix, a delimiter and a starting key marker, then paged through with the
 * markers each page returns; every page, and the concatenation, must be the model's. The store
 * is real and shared by all tries; each try has its own bucket.
 */
class BucketUploadListingPropertyTest extends ListingProperties
{
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    BucketUploadListingPropertyTest()
    {
        super(12);
    }

    @Property(tries = 40)
    void shouldPageUploadsExactlyAsTheModel(
        @ForAll("keySets") final Set<String> keys,
        @ForAll @IntRange(min = 1, max = 3) final int uploadsPerKey,
        @ForAll("prefixes") final String prefix,
        @ForAll("delimiters") final String delimiter,
        @ForAll("prefixes") final String keyMarker,
        @ForAll("pageSizes") final int maxUploads)
    {
        final String bucket = "uploads-" + BUCKETS.incrementAndGet();
        t.buckets().createBucket(bucket);
        final List<S3ListingModel.Item> items = new ArrayList<>();
        int n = 0;
        for (final String key : keys)
        {
            for (int i = 0; i < 1 + n % uploadsPerKey; i++)
            {
                items.add(new S3ListingModel.Item(key, t.buckets().createUpload(bucket, key, S3Metadata.EMPTY).uploadId()));
            }
            n++;
        }

        S3ListingModel.assertPagesAsModel(items, prefix, delimiter, keyMarker, maxUploads, (markerKey, markerId) ->
        {
            final UploadListing page = t.buckets().listUploads(bucket, prefix, delimiter, markerKey, markerId, maxUploads);
            final List<S3ListingModel.Item> listed = page.uploads().stream().map(u -> new S3ListingModel.Item(u.key(), u.uploadId())).toList();
            return new S3ListingModel.Listed(listed, page.commonPrefixes(), page.truncated(), page.nextKeyMarker(), page.nextUploadIdMarker());
        });
    }
}
