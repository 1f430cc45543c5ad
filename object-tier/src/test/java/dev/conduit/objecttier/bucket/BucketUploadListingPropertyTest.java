package dev.conduit.objecttier.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListMultipartUploads against {@link S3ListingModel}: random keys with one to three uploads each,
 * listed with a prefix, a delimiter and a starting key marker, then paged through with the
 * markers each page returns; every page, and the concatenation, must be the model's. The store
 * is real and shared by all tries; each try has its own bucket.
 */
class BucketUploadListingPropertyTest
{
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static TestBuckets t;

    @BeforeContainer
    static void openStore()
    {
        t = TestBuckets.create(64L * MIB);
    }

    @AfterContainer
    static void closeStore()
    {
        t.close();
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

        final List<S3ListingModel.Item> all = new ArrayList<>();
        final List<String> allPrefixes = new ArrayList<>();
        String markerKey = keyMarker;
        String markerId = "";
        for (int pages = 0; ; pages++)
        {
            assertTrue(pages <= items.size() + 1, "the listing makes progress");
            final UploadListing page = t.buckets().listUploads(bucket, prefix, delimiter, markerKey, markerId, maxUploads);
            final S3ListingModel.Page expected = S3ListingModel.page(items, prefix, delimiter, markerKey, markerId, maxUploads);
            final String after = "after '" + markerKey + "'/'" + markerId + "'";
            assertEquals(expected.items(), page.uploads().stream().map(u -> new S3ListingModel.Item(u.key(), u.uploadId())).toList(), after);
            assertEquals(expected.commonPrefixes(), page.commonPrefixes(), after);
            assertEquals(expected.truncated(), page.truncated(), after);
            all.addAll(expected.items());
            allPrefixes.addAll(expected.commonPrefixes());
            if (!page.truncated())
            {
                break;
            }
            final S3ListingModel.Entry last = expected.entries().getLast();
            assertEquals(last.item() != null ? last.item().key() : last.commonPrefix(), page.nextKeyMarker());
            assertEquals(last.item() != null ? last.item().id() : "", page.nextUploadIdMarker());
            markerKey = page.nextKeyMarker();
            markerId = page.nextUploadIdMarker();
        }
        final S3ListingModel.Page whole = S3ListingModel.page(items, prefix, delimiter, keyMarker, "", Integer.MAX_VALUE);
        assertEquals(whole.items(), all, "paging loses or repeats no upload");
        assertEquals(whole.commonPrefixes(), allPrefixes, "paging loses or repeats no common prefix");
    }

    @Provide
    Arbitrary<Set<String>> keySets()
    {
        return ListingArbitraries.keySets(12);
    }

    @Provide
    Arbitrary<String> prefixes()
    {
        return ListingArbitraries.prefixes();
    }

    @Provide
    Arbitrary<String> delimiters()
    {
        return ListingArbitraries.delimiters();
    }

    @Provide
    Arbitrary<Integer> pageSizes()
    {
        return ListingArbitraries.pageSizes();
    }
}
