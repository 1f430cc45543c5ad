package dev.conduit.objecttier.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.objecttier.tier.ColdLocation;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierPolicy;
import dev.conduit.objecttier.tier.TierSettings;
import dev.conduit.objecttier.tier.TierState;
import dev.conduit.objecttier.tier.Tiering;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiering against a real third-party S3 server as the cold tier (S3Proxy, filesystem backend, a
 * child process on loopback, behind a counting and fault-injecting proxy): read-through misses,
 * hits and revalidation, single flight, parallel ranged fetches, cold failures, write-back with
 * back-pressure and restart, eviction with pinned prefixes.
 */
@Timeout(180)
class TieringTest
{
    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    private static final AtomicInteger COLD_BUCKETS = new AtomicInteger();
    private static ColdS3 cold;
    private Tiering tiering;

    @BeforeAll
    static void startCold() throws Exception
    {
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "s3-it")), "cold");
        cold = ColdS3.start(dir);
        // The cold client takes credentials from the standard AWS chain; system properties are its second link.
        System.setProperty("aws.accessKeyId", ColdS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", ColdS3.SECRET_KEY);
    }

    @AfterAll
    static void stopCold() throws Exception
    {
        cold.close();
    }

    @AfterEach
    void closeTiering()
    {
        cold.proxy().heal();
        S3.server().tiering(null);
        if (tiering != null)
        {
            tiering.close();
        }
    }

    @Test
    void shouldFetchAMissServeHitsLocallyAndRevalidateAfterTheTtl()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withTtl(Duration.ZERO));
        final byte[] first = bytes(3 << 20, 1);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/a.bin").contentType("application/x-test")
            .metadata(Map.of("origin", "cold")), RequestBody.fromBytes(first));

        final ResponseBytes<GetObjectResponse> miss = S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("a.bin"));
        assertArrayEquals(first, miss.asByteArray());
        assertEquals("application/x-test", miss.response().contentType());
        assertEquals("cold", miss.response().metadata().get("origin"));
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/a.bin"));

        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bound.local).key("a.bin"));
        assertEquals(TierState.SYNCED.text(), head.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
        assertArrayEquals(first, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("a.bin")).asByteArray());
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/a.bin"), "hits are served locally");
        assertTrue(cold.proxy().count("HEAD", bound.coldBucket + "/p/a.bin") >= 1, "TTL 0: every hit revalidates");

        final byte[] second = bytes(1 << 20, 2);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/a.bin"), RequestBody.fromBytes(second));
        assertArrayEquals(second, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("a.bin")).asByteArray());
        assertEquals(2, cold.proxy().count("GET", bound.coldBucket + "/p/a.bin"), "a changed cold object is fetched again");
        assertEquals(second.length, S3.buckets().head(bound.local, "a.bin").orElseThrow().sizeBytes());
    }

    @Test
    void shouldAnswerAMissingObjectWithNoSuchKeyAndHeadFromCold()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final S3Exception missing = assertThrows(S3Exception.class,
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("nowhere")));
        assertEquals(404, missing.statusCode());
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/h"), RequestBody.fromBytes(bytes(1000, 3)));
        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bound.local).key("h"));
        assertEquals(1000L, head.contentLength());
        assertEquals(TierState.COLD_ONLY.text(), head.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
    }

    @Test
    @SuppressWarnings("deprecation") // the Apache 4 client, as S3ServerFixture
    void shouldFetchOnceFor100ConcurrentMisses() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] data = bytes(2 << 20, 4);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/hot"), RequestBody.fromBytes(data));
        final int clients = 100;
        final CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            S3Client wide = S3Client.builder().endpointOverride(S3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(S3ServerFixture.credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(clients).connectionAcquisitionTimeout(Duration.ofMinutes(1)))
                .build())
        {
            final List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++)
            {
                results.add(pool.submit(() ->
                {
                    start.await();
                    return wide.getObjectAsBytes(b -> b.bucket(bound.local).key("hot")).asByteArray();
                }));
            }
            start.countDown();
            for (final Future<byte[]> result : results)
            {
                assertArrayEquals(data, result.get());
            }
        }
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/hot"), "exactly one cold GET for 100 misses");
    }

    @Test
    void shouldFetchALargeObjectAsParallelRangedGets()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] data = bytes(21 << 20, 5);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/big"), RequestBody.fromBytes(data));
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("big")).asByteArray());
        assertEquals(3, cold.proxy().count("GET", bound.coldBucket + "/p/big"), "8 MiB parts: 3 ranged GETs");
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("big")).asByteArray());
        assertEquals(3, cold.proxy().count("GET", bound.coldBucket + "/p/big"));
    }

    @Test
    void shouldServeARangeOfAMissFromColdAndFetchTheWholeObjectBehind() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] data = bytes(1 << 20, 6);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/r"), RequestBody.fromBytes(data));
        final byte[] range = S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("r").range("bytes=100-199")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), range);
        for (int i = 0; i < 200 && S3.buckets().head(bound.local, "r").isEmpty(); i++)
        {
            Thread.sleep(50); // the background fetch has no handle to wait on from here; bounded poll
        }
        assertArrayEquals(data, S3.buckets().open(bound.local, "r").handle().readAllBytes());
    }

    @Test
    void shouldRetry5xxWithBackOffAndFailCleanlyWhenColdIsDown()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withRetries(3, Duration.ofSeconds(2)));
        final byte[] data = bytes(100_000, 7);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/flaky"), RequestBody.fromBytes(data));
        cold.proxy().inject(FaultProxy.Fault.ERROR_503, "GET", 2);
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("flaky")).asByteArray());
        assertEquals(3, cold.proxy().count("GET", bound.coldBucket + "/p/flaky"), "two 503s, then success");

        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/down"), RequestBody.fromBytes(data));
        cold.proxy().inject(FaultProxy.Fault.DROP, "", Integer.MAX_VALUE);
        final S3Exception down = assertThrows(S3Exception.class,
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("down")));
        assertEquals(503, down.statusCode());
        assertTrue(down.getMessage().contains("cold tier"), down.getMessage());
        assertTrue(S3.buckets().head(bound.local, "down").isEmpty(), "nothing partial is published");

        cold.proxy().inject(FaultProxy.Fault.CUT_BODY, "GET", Integer.MAX_VALUE);
        cold.proxy().cutAfterBytes(50_000);
        assertThrows(RuntimeException.class, () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("down")));
        assertTrue(S3.buckets().head(bound.local, "down").isEmpty(), "a cut cold body publishes nothing");

        cold.proxy().heal();
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("down")).asByteArray());
    }

    @Test
    void shouldUploadAcknowledgedWritesByteExactWithMetadata() throws Exception
    {
        final Bound bound = bind(TierPolicy.BOTH, TierSettings.defaults());
        final byte[] small = bytes(300_000, 8);
        final byte[] large = bytes(20 << 20, 9);
        S3.client().putObject(b -> b.bucket(bound.local).key("ckpt/small").contentType("application/x-ckpt")
            .metadata(Map.of("step", "7")), RequestBody.fromBytes(small));
        S3.client().putObject(b -> b.bucket(bound.local).key("ckpt/large"), RequestBody.fromBytes(large));
        awaitBacklogEmpty();
        final ResponseBytes<GetObjectResponse> coldSmall = cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/ckpt/small"));
        assertArrayEquals(small, coldSmall.asByteArray());
        assertEquals("application/x-ckpt", coldSmall.response().contentType());
        assertEquals("7", coldSmall.response().metadata().get("step"));
        assertArrayEquals(large, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/ckpt/large")).asByteArray());
        assertTrue(cold.proxy().count("PUT", "partNumber=") >= 3, "20 MiB goes up as a multipart upload");
        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bound.local).key("ckpt/small"));
        assertEquals(TierState.SYNCED.text(), head.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
    }

    @Test
    void shouldApplyBackPressureAndResumeJournaledUploadsAfterRestart() throws Exception
    {
        final Bound bound = bind(TierPolicy.WRITE_BACK,
            TierSettings.defaults().withBacklog(2, 1L << 30, Duration.ofMillis(300)).withRetries(0, Duration.ofSeconds(2)));
        cold.proxy().inject(FaultProxy.Fault.DROP, "", Integer.MAX_VALUE);
        final byte[] a = bytes(10_000, 10);
        final byte[] b2 = bytes(20_000, 11);
        S3.client().putObject(b -> b.bucket(bound.local).key("a"), RequestBody.fromBytes(a));
        S3.client().putObject(b -> b.bucket(bound.local).key("b"), RequestBody.fromBytes(bytes(5, 12)));
        final HeadObjectResponse pending = S3.client().headObject(b -> b.bucket(bound.local).key("a"));
        assertEquals(TierState.UPLOADING.text(), pending.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
        final S3Exception full = assertThrows(S3Exception.class,
            () -> S3.client().putObject(b -> b.bucket(bound.local).key("c"), RequestBody.fromBytes(a)));
        assertEquals(503, full.statusCode());
        // An overwrite of a pending upload supersedes it (and needs no new room: same key).
        tiering.close();
        tiering = Tiering.open(S3.buckets(), TierSettings.defaults());
        S3.server().tiering(tiering);
        S3.client().putObject(b -> b.bucket(bound.local).key("b"), RequestBody.fromBytes(b2));
        assertEquals(2, tiering.backlogObjects(), "the journal survived the restart");
        cold.proxy().heal();
        awaitBacklogEmpty();
        assertArrayEquals(a, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/a")).asByteArray());
        assertArrayEquals(b2, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/b")).asByteArray());
    }

    @Test
    void shouldEvictSyncedCopiesButNeverPinnedOrPendingOnes() throws Exception
    {
        final Bound bound = bind(TierPolicy.BOTH, TierSettings.defaults().withWatermarks(1, 0), List.of("pinned/"));
        final byte[] data = bytes(1 << 20, 13);
        for (final String key : List.of("scan/1", "scan/2", "pinned/1"))
        {
            S3.client().putObject(b -> b.bucket(bound.local).key(key), RequestBody.fromBytes(data));
        }
        awaitBacklogEmpty();
        cold.proxy().inject(FaultProxy.Fault.DROP, "PUT", Integer.MAX_VALUE);
        S3.client().putObject(b -> b.bucket(bound.local).key("scan/pending"), RequestBody.fromBytes(data));
        // The store is shared with the other tests: their synced copies are candidates too.
        assertTrue(tiering.evict() >= 2);
        assertTrue(S3.buckets().head(bound.local, "scan/1").isEmpty());
        assertTrue(S3.buckets().head(bound.local, "scan/2").isEmpty());
        assertTrue(S3.buckets().head(bound.local, "pinned/1").isPresent(), "pinned prefixes stay");
        assertTrue(S3.buckets().head(bound.local, "scan/pending").isPresent(), "not yet written back: stays");
        cold.proxy().heal();
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("scan/1")).asByteArray(),
            "an evicted object is fetched again");
        awaitBacklogEmpty();
    }

    private void awaitBacklogEmpty() throws InterruptedException
    {
        for (int i = 0; i < 1200 && tiering.backlogObjects() > 0; i++)
        {
            Thread.sleep(50); // uploads run on their own threads; the backlog gauge is what there is to watch
        }
        assertEquals(0, tiering.backlogObjects(), "write-back backlog drained");
    }

    private Bound bind(final TierPolicy policy, final TierSettings settings)
    {
        return bind(policy, settings, List.of());
    }

    private Bound bind(final TierPolicy policy, final TierSettings settings, final List<String> pinned)
    {
        final String local = S3.newBucket();
        final String coldBucket = "cold-" + COLD_BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        cold.direct().createBucket(b -> b.bucket(coldBucket));
        tiering = Tiering.open(S3.buckets(), settings);
        tiering.attach(new TierBinding(local, new ColdLocation(coldBucket, "p"), cold.endpoint(), "us-east-1", "", policy, 1.0,
            pinned));
        S3.server().tiering(tiering);
        cold.proxy().reset();
        return new Bound(local, coldBucket);
    }

    private static byte[] bytes(final int length, final long seed)
    {
        final byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private record Bound(String local, String coldBucket)
    {
    }
}
