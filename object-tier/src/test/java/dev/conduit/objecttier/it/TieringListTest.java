package dev.conduit.objecttier.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.objecttier.tier.ColdLocation;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierPolicy;
import dev.conduit.objecttier.tier.TierSettings;
import dev.conduit.objecttier.tier.Tiering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListObjectsV2 and ListObjects of a read-through bucket through the AWS SDK against Conduit, with
 * S3Proxy (a third-party S3 server, behind the counting and fault-injecting proxy) as the cold
 * tier: cold keys merged with local ones in key order, the local entry winning, keys whose cold
 * delete is pending left out, pages and common prefixes across both sides, continuation tokens
 * checked, and a cold tier that is down answered with 503 while the server goes on serving.
 */
@Timeout(180)
class TieringListTest
{
    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    private static final AtomicInteger COLD_BUCKETS = new AtomicInteger();
    /** A two-level cold prefix, so the mapping of cold keys back to local keys is exercised. */
    private static final String COLD_PREFIX = "lake/train/";
    private static ColdS3 cold;
    private Tiering tiering;

    @BeforeAll
    static void startCold() throws Exception
    {
        cold = ColdS3.startForTiering("cold-list");
    }

    @AfterAll
    static void stopCold() throws Exception
    {
        cold.close();
    }

    @AfterEach
    void unbind()
    {
        cold.unbind(S3, tiering);
    }

    @Test
    void shouldListColdOnlyKeysWithTheirColdSizesAndCountTheColdList() throws Exception
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults());
        bucket.putCold("a.bin", 3);
        bucket.putCold("sub/b.bin", 5);
        bucket.putCold("folder/", 0);
        // Sent URL-encoded by the cold tier (encoding-type=url) and decoded by the SDK: any key survives the XML.
        bucket.putCold("z é & <x>+%20.bin", 7);
        // The cold prefix's own folder marker stands for no local key; a key beside the prefix is not the bucket's.
        cold.direct().putObject(b -> b.bucket(bucket.coldBucket).key(COLD_PREFIX), RequestBody.empty());
        cold.direct().putObject(b -> b.bucket(bucket.coldBucket).key("lake/other"), RequestBody.fromBytes(new byte[2]));

        final ListObjectsV2Response page = S3.client().listObjectsV2(b -> b.bucket(bucket.local));
        final Map<String, Long> listed = sizes(page.contents());
        assertEquals(3L, listed.get("a.bin"));
        assertEquals(5L, listed.get("sub/b.bin"));
        assertEquals(7L, listed.get("z é & <x>+%20.bin"));
        assertTrue(listed.containsKey("folder/"), "a folder marker is listed as an object, as S3 lists it");
        // S3Proxy's filesystem backend lists its directories as keys ending in '/' (4096 bytes): shown as it shows them.
        assertEquals(coldView(bucket, ""), listed, "exactly what the cold tier lists under its prefix");
        assertEquals(new ArrayList<>(listed.keySet()), keys(page.contents()), "in key order");
        assertFalse(page.isTruncated());
        final String coldEtag = cold.direct().headObject(b -> b.bucket(bucket.coldBucket).key(COLD_PREFIX + "a.bin")).eTag();
        assertEquals(coldEtag, page.contents().getFirst().eTag());
        assertEquals(1, cold.proxy().count("GET", bucket.coldBucket + "?"), "one cold LIST for one page");
        assertEquals(1, tiering.metrics().coldLists());
        assertTrue(scrape().contains("\nconduit_tier_cold_lists_total 1\n"), "the counter is exported");
        assertEquals(0, cold.proxy().count("GET", bucket.coldBucket + "/"), "a listing fetches no object");
    }

    @Test
    void shouldListAKeyOnBothSidesOnceAsTheLocalObject()
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults());
        bucket.putCold("both", 10);
        bucket.putCold("cold-only", 4);
        bucket.putLocal("both", 20);
        bucket.putLocal("local-only", 6);

        final List<S3Object> listed = S3.client().listObjectsV2(b -> b.bucket(bucket.local)).contents();
        assertEquals(Map.of("both", 20L, "cold-only", 4L, "local-only", 6L), sizes(listed));
        final String localEtag = S3.client().headObject(b -> b.bucket(bucket.local).key("both")).eTag();
        assertEquals(localEtag, listed.getFirst().eTag(), "the local copy's ETag, not the cold one's");
        final String coldEtag = cold.direct().headObject(b -> b.bucket(bucket.coldBucket).key(COLD_PREFIX + "both")).eTag();
        assertFalse(coldEtag.equals(localEtag), "the two sides differ, so the test can tell which one was listed");

        // max-keys 1: "both", then "cold-only" (the cold side resumes from the cold tier's token and ends there), then
        // "local-only" without a cold LIST: a side that is done is not listed again.
        final long coldLists = tiering.metrics().coldLists();
        final Pages pages = listV2(bucket.local, "", "", 1);
        assertEquals(List.of("both", "cold-only", "local-only"), pages.keys);
        assertEquals(3, pages.pages);
        assertEquals(2, tiering.metrics().coldLists() - coldLists, "no cold LIST once the cold side is used up");
    }

    @Test
    void shouldPageThroughTheMergedListingWithTokensAndMarkers()
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final TreeMap<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < 60; i++)
        {
            final String key = String.format("k-%03d", i);
            if (i % 3 != 0)
            {
                expected.put(key, bucket.putCold(key, 1 + i % 7));
            }
            if (i % 3 != 1)
            {
                expected.put(key, bucket.putLocal(key, 10 + i % 5));
            }
        }
        final Pages v2 = listV2(bucket.local, "", "", 7);
        assertEquals(new ArrayList<>(expected.keySet()), v2.keys, "every key once, in order");
        assertEquals(expected, v2.sizes, "the local size where a key is on both sides");
        assertTrue(v2.pages >= 60 / 7 + 1, "pages of at most 7: " + v2.pages);
        assertEquals(v2.pages, tiering.metrics().coldLists(), "one cold LIST per page");

        final Pages v1 = listV1(bucket.local, "", "", 5);
        assertEquals(new ArrayList<>(expected.keySet()), v1.keys);
        assertEquals(expected, v1.sizes);
        assertTrue(v1.pages >= 60 / 5, "pages of at most 5: " + v1.pages);

        final Pages startAfter = listV2(bucket.local, "", "", "k-040", 4);
        assertEquals(new ArrayList<>(expected.tailMap("k-040", false).keySet()), startAfter.keys, "start-after");
        final Pages marker = listV1(bucket.local, "", "", "k-040", 4);
        assertEquals(startAfter.keys, marker.keys, "marker");
    }

    @Test
    void shouldMergeAndDeduplicateCommonPrefixes()
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults());
        bucket.putCold("top-1", 1);
        bucket.putLocal("top-2", 2);
        bucket.putCold("d1/a", 1);
        bucket.putLocal("d1/b", 2);
        bucket.putCold("d2/x", 1);
        bucket.putLocal("d3/y", 2);
        bucket.putCold("d4/z", 1);
        bucket.putLocal("d4/z", 2);
        bucket.putCold("d5/", 0);
        bucket.putCold("d6/deep/er", 1);

        final List<String> all = List.of("d1/", "d2/", "d3/", "d4/", "d5/", "d6/", "top-1", "top-2");
        for (final int maxKeys : new int[] {1, 2, 3, 1000})
        {
            final Pages v2 = listV2(bucket.local, "", "/", maxKeys);
            assertEquals(all, v2.keys, "v2, max-keys " + maxKeys);
            assertEquals(all, listV1(bucket.local, "", "/", maxKeys).keys, "v1, max-keys " + maxKeys);
        }
        assertEquals(List.of("d1/a", "d1/b"), listV2(bucket.local, "d1/", "/", 1).keys, "a prefix inside a merged common prefix");
        assertEquals(List.of("d6/deep/"), listV2(bucket.local, "d6/", "/", 1000).keys);
        final Pages marker = listV2(bucket.local, "d5", "", 1000);
        assertEquals(List.of("d5/"), marker.keys, "the cold folder marker, listed as an object");
        assertEquals(coldView(bucket, "d5"), marker.sizes, "with the size the cold tier lists");
    }

    @Test
    void shouldHideKeysWhoseColdDeleteIsPending() throws Exception
    {
        final Bucket bucket = bucket(TierPolicy.BOTH, TierSettings.defaults());
        for (final String key : List.of("a", "b", "c", "d"))
        {
            bucket.putCold(key, 1);
        }
        // The cold tier refuses the deletes for now: they stay journaled (state deleting) and the keys still exist there.
        cold.proxy().inject(FaultProxy.Fault.ERROR_503, "DELETE", Integer.MAX_VALUE);
        S3.client().deleteObject(b -> b.bucket(bucket.local).key("a"));
        S3.client().deleteObject(b -> b.bucket(bucket.local).key("b"));
        S3.client().deleteObject(b -> b.bucket(bucket.local).key("d"));
        assertEquals(3, tiering.backlogObjects(), "three cold deletes pending");
        assertTrue(cold.direct().headObject(b -> b.bucket(bucket.coldBucket).key(COLD_PREFIX + "a")).contentLength() > 0);

        assertEquals(List.of("c"), listV2(bucket.local, "", "", 1000).keys);
        // max-keys 1: the cold pages of "a" and of "b" are all hidden keys, so the first page lists on to "c".
        final Pages single = listV2(bucket.local, "", "", 1);
        assertEquals(List.of("c"), single.keys);
        assertEquals(List.of("c"), listV1(bucket.local, "", "", 1).keys);

        cold.proxy().heal();
        ColdS3.awaitBacklogEmpty(tiering); // the deletes are retried with back-off on the uploaders' threads
        assertEquals(List.of("c"), listV2(bucket.local, "", "", 1000).keys);
    }

    @Test
    void shouldRefuseAChangedOrForeignContinuationToken()
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults());
        bucket.putCold("a", 1);
        bucket.putCold("b", 1);
        bucket.putLocal("c", 1);
        final String token = S3.client().listObjectsV2(b -> b.bucket(bucket.local).maxKeys(1)).nextContinuationToken();
        final String changed = (token.charAt(3) == 'A' ? "B" : "A");
        final String tampered = token.substring(0, 3) + changed + token.substring(4);
        final String plainBucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(plainBucket).key("x"), RequestBody.fromBytes(new byte[1]));
        S3.client().putObject(b -> b.bucket(plainBucket).key("y"), RequestBody.fromBytes(new byte[1]));
        final String plainToken = S3.client().listObjectsV2(b -> b.bucket(plainBucket).maxKeys(1)).nextContinuationToken();

        for (final String bad : List.of(tampered, plainToken, token + "AAAA"))
        {
            final S3Exception refused = assertThrows(S3Exception.class,
                () -> S3.client().listObjectsV2(b -> b.bucket(bucket.local).continuationToken(bad)));
            assertEquals(400, refused.statusCode(), bad);
            assertEquals("InvalidArgument", refused.awsErrorDetails().errorCode());
            assertTrue(refused.awsErrorDetails().errorMessage().contains("continuation token"), refused.getMessage());
        }
        final S3Exception otherPrefix = assertThrows(S3Exception.class,
            () -> S3.client().listObjectsV2(b -> b.bucket(bucket.local).prefix("a").continuationToken(token)));
        assertEquals(400, otherPrefix.statusCode(), "a token belongs to its own listing");
        assertEquals(List.of("b"), keys(S3.client().listObjectsV2(b -> b.bucket(bucket.local).maxKeys(1).continuationToken(token))
            .contents()), "the untouched token still works");
        assertEquals(List.of("y"), keys(S3.client().listObjectsV2(b -> b.bucket(plainBucket).continuationToken(plainToken)).contents()),
            "a plain bucket keeps its own tokens");
    }

    @Test
    void shouldAnswer503WhenTheColdTierIsDownAndGoOnServing()
    {
        final Bucket bucket = bucket(TierPolicy.READ_THROUGH, TierSettings.defaults().withRetries(1, Duration.ofSeconds(1)));
        bucket.putCold("a", 1);
        bucket.putLocal("b", 1);
        final String plainBucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(plainBucket).key("p"), RequestBody.fromBytes(new byte[3]));

        cold.proxy().inject(FaultProxy.Fault.DROP, "", Integer.MAX_VALUE);
        final S3Exception down = assertThrows(S3Exception.class, () -> S3.client().listObjectsV2(b -> b.bucket(bucket.local)));
        assertEquals(503, down.statusCode());
        assertEquals("ServiceUnavailable", down.awsErrorDetails().errorCode());
        assertTrue(down.awsErrorDetails().errorMessage().contains("cold tier") && down.awsErrorDetails().errorMessage().contains("LIST"),
            down.getMessage());
        final S3Exception downV1 = assertThrows(S3Exception.class, () -> S3.client().listObjects(b -> b.bucket(bucket.local)));
        assertEquals(503, downV1.statusCode());

        cold.proxy().inject(FaultProxy.Fault.SLOW, "", Integer.MAX_VALUE);
        cold.proxy().delayMs(3_000);
        final S3Exception slow = assertThrows(S3Exception.class, () -> S3.client().listObjectsV2(b -> b.bucket(bucket.local)));
        assertEquals(503, slow.statusCode());
        assertTrue(slow.awsErrorDetails().errorMessage().contains("tier.requestTimeout"), slow.getMessage());

        assertEquals(List.of("p"), keys(S3.client().listObjectsV2(b -> b.bucket(plainBucket)).contents()),
            "a plain bucket is listed while the cold tier is down");
        assertEquals(1, S3.client().getObjectAsBytes(b -> b.bucket(bucket.local).key("b")).asByteArray().length,
            "a local object of the bound bucket is served too");
        cold.proxy().heal();
        assertEquals(List.of("a", "b"), keys(S3.client().listObjectsV2(b -> b.bucket(bucket.local)).contents()));
    }

    private Bucket bucket(final TierPolicy policy, final TierSettings settings)
    {
        final Bucket bucket = new Bucket(S3.newBucket(), "cold-list-" + COLD_BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid());
        cold.direct().createBucket(b -> b.bucket(bucket.coldBucket));
        tiering = Tiering.open(S3.buckets(), settings);
        tiering.attach(new TierBinding(bucket.local, ColdLocation.parse("s3://" + bucket.coldBucket + "/" + COLD_PREFIX), cold.endpoint(),
            "us-east-1", "", policy, 1.0, List.of()));
        S3.server().tiering(tiering);
        cold.proxy().reset();
        return bucket;
    }

    private static Pages listV2(final String bucket, final String prefix, final String delimiter, final int maxKeys)
    {
        return listV2(bucket, prefix, delimiter, null, maxKeys);
    }

    /** Every page of a ListObjectsV2 listing, followed through its continuation tokens. */
    private static Pages listV2(final String bucket, final String prefix, final String delimiter, final String startAfter,
        final int maxKeys)
    {
        final Pages pages = new Pages();
        String token = null;
        do
        {
            final String from = token;
            final ListObjectsV2Response page = S3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter)
                .maxKeys(maxKeys).startAfter(startAfter).continuationToken(from));
            pages.add(page.contents(), page.commonPrefixes(), maxKeys);
            assertEquals(page.contents().size() + page.commonPrefixes().size(), page.keyCount());
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        }
        while (token != null);
        return pages;
    }

    private static Pages listV1(final String bucket, final String prefix, final String delimiter, final int maxKeys)
    {
        return listV1(bucket, prefix, delimiter, null, maxKeys);
    }

    /** Every page of a ListObjects (v1) listing, followed as S3 clients do: NextMarker, else the last key. */
    private static Pages listV1(final String bucket, final String prefix, final String delimiter, final String firstMarker,
        final int maxKeys)
    {
        final Pages pages = new Pages();
        String marker = firstMarker;
        while (true)
        {
            final String from = marker;
            final ListObjectsResponse page = S3.client().listObjects(b -> b.bucket(bucket).prefix(prefix).delimiter(delimiter)
                .maxKeys(maxKeys).marker(from));
            pages.add(page.contents(), page.commonPrefixes(), maxKeys);
            if (!page.isTruncated())
            {
                return pages;
            }
            marker = page.nextMarker() != null ? page.nextMarker() : page.contents().getLast().key();
        }
    }

    /** @return what S3Proxy itself lists under the binding's prefix and {@code prefix}, in local keys, with sizes. */
    private static Map<String, Long> coldView(final Bucket bucket, final String prefix)
    {
        final Map<String, Long> out = new TreeMap<>();
        cold.direct().listObjectsV2Paginator(b -> b.bucket(bucket.coldBucket).prefix(COLD_PREFIX + prefix)).contents()
            .forEach(o -> out.put(o.key().substring(COLD_PREFIX.length()), o.size()));
        out.remove("");
        return out;
    }

    private static List<String> keys(final List<S3Object> objects)
    {
        return objects.stream().map(S3Object::key).toList();
    }

    private static Map<String, Long> sizes(final List<S3Object> objects)
    {
        final Map<String, Long> out = new TreeMap<>();
        objects.forEach(o -> out.put(o.key(), o.size()));
        return out;
    }

    private static String scrape() throws IOException, InterruptedException
    {
        try (HttpClient http = HttpClient.newHttpClient())
        {
            return http.send(HttpRequest.newBuilder(URI.create(S3.endpoint() + "/_conduit/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** What a listing showed across its pages: keys and common prefixes in the order listed, sizes of the objects. */
    private static final class Pages
    {
        private final List<String> keys = new ArrayList<>();
        private final Map<String, Long> sizes = new TreeMap<>();
        private int pages;

        void add(final List<S3Object> objects, final List<CommonPrefix> prefixes, final int maxKeys)
        {
            pages++;
            assertTrue(objects.size() + prefixes.size() <= maxKeys, "a page holds at most max-keys entries");
            final TreeMap<String, Long> page = new TreeMap<>();
            objects.forEach(o -> page.put(o.key(), o.size()));
            prefixes.forEach(p -> page.put(p.prefix(), null));
            keys.addAll(page.keySet());
            objects.forEach(o -> sizes.put(o.key(), o.size()));
        }
    }

    /**
     * A bound bucket.
     *
     * @param local the local bucket.
     * @param coldBucket its cold bucket (keys under {@link #COLD_PREFIX}).
     */
    private record Bucket(String local, String coldBucket)
    {
        /** @return the size written. */
        long putCold(final String key, final int size)
        {
            cold.direct().putObject(b -> b.bucket(coldBucket).key(COLD_PREFIX + key), RequestBody.fromBytes(new byte[size]));
            return size;
        }

        /** @return the size written. */
        long putLocal(final String key, final int size)
        {
            S3.client().putObject(b -> b.bucket(local).key(key), RequestBody.fromBytes(new byte[size]));
            return size;
        }
    }
}
