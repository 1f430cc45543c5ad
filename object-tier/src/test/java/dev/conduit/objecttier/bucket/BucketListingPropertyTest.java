package dev.conduit.objecttier.bucket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListObjects against a model: for random key sets over an alphabet chosen to collide (multi-byte
 * characters whose UTF-16 and UTF-8 orders differ, keys equal to the prefix, keys ending in the
 * delimiter, multi-character delimiters), every page that {@link BucketStore#list} returns, and
 * the whole listing paged through with any page size, is exactly what {@link S3ListingModel}
 * computes from S3's rules. The store is real and shared by all tries; each try has its own bucket.
 */
class BucketListingPropertyTest extends ListingProperties
{
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    BucketListingPropertyTest()
    {
        super(24);
    }

    @Property(tries = 80)
    void shouldPageExactlyAsTheModel(
        @ForAll("keySets") final Set<String> keys,
        @ForAll("prefixes") final String prefix,
        @ForAll("delimiters") final String delimiter,
        @ForAll("prefixes") final String startAfter,
        @ForAll("pageSizes") final int maxKeys)
    {
        final String bucket = "list-" + BUCKETS.incrementAndGet();
        t.buckets().createBucket(bucket);
        for (final String key : keys)
        {
            t.put(bucket, key, new byte[]{1}, S3Metadata.EMPTY);
        }

        // Every page must be the model's page from the same cursor; objects have no upload id marker.
        final List<S3ListingModel.Item> items = keys.stream().map(key -> new S3ListingModel.Item(key, "")).toList();
        S3ListingModel.assertPagesAsModel(items, prefix, delimiter, startAfter, maxKeys, (markerKey, markerId) ->
        {
            final ListResult page = t.buckets().list(bucket, new ListQuery(prefix, delimiter, markerKey, maxKeys));
            final List<S3ListingModel.Item> listed = page.objects().stream().map(o -> new S3ListingModel.Item(o.key(), "")).toList();
            return new S3ListingModel.Listed(listed, page.commonPrefixes(), page.truncated(), page.nextStartAfter(), "");
        });
    }

    @Example
    void shouldListInUtf8ByteOrderNotJavaStringOrder()
    {
        // U+E000 is one UTF-16 unit above the surrogates that encode U+1F600, but below it in UTF-8.
        final String bucket = "order";
        t.buckets().createBucket(bucket);
        t.put(bucket, "😀", new byte[]{1}, S3Metadata.EMPTY);
        t.put(bucket, "\uE000", new byte[]{1}, S3Metadata.EMPTY);
        assertTrue("😀".compareTo("\uE000") < 0, "Java orders the emoji first");
        final ListResult page = t.buckets().list(bucket, new ListQuery("", "", "", 10));
        assertEquals(List.of("\uE000", "😀"), page.objects().stream().map(S3Object::key).toList());
    }

    @Example
    void shouldListNothingForZeroMaxKeys()
    {
        final String bucket = "zero";
        t.buckets().createBucket(bucket);
        t.put(bucket, "a", new byte[]{1}, S3Metadata.EMPTY);
        final ListResult page = t.buckets().list(bucket, new ListQuery("", "", "", 0));
        assertTrue(page.objects().isEmpty() && page.commonPrefixes().isEmpty());
        assertFalse(page.truncated());
    }
}
