package dev.conduit.objecttier.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.blocklayout.StoreCounter;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.gdspath.PathChoice;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.loader.Batch;
import dev.conduit.gdspath.loader.BatchEntry;
import dev.conduit.gdspath.loader.Loader;
import dev.conduit.gdspath.loader.LoaderOptions;
import dev.conduit.objecttier.bucket.LocalCopies;
import dev.conduit.objecttier.tier.ColdLocation;
import dev.conduit.objecttier.tier.ColdThreads;
import dev.conduit.objecttier.tier.Prefetch;
import dev.conduit.objecttier.tier.TierAdmin;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierKeySource;
import dev.conduit.objecttier.tier.TierPolicy;
import dev.conduit.objecttier.tier.TierRecord;
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
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
        cold = ColdS3.startForTiering("cold");
    }

    @AfterAll
    static void stopCold() throws Exception
    {
        cold.close();
    }

    @AfterEach
    void closeTiering()
    {
        cold.unbind(S3, tiering);
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
    void shouldPublishAFetchedCopyWithItsSyncedRecordInOneJournalBatch()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final int[] sizes = {64 << 10, 3 << 20};
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] data = bytes(sizes[i], 80 + i);
            final String key = "one-commit/" + i;
            cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/" + key), RequestBody.fromBytes(data));
            final long batches = S3.store().store().counter(StoreCounter.JOURNAL_BATCHES);
            // The response ends only after the fill's commit, so the batch is counted by the time the bytes are here.
            assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key(key)).asByteArray());
            assertEquals(batches + 1, S3.store().store().counter(StoreCounter.JOURNAL_BATCHES),
                "the fetched copy and its synced record in one journal batch (" + sizes[i] + " B)");
            final TierRecord record = tiering.record(bound.local, key).orElseThrow();
            assertEquals(TierState.SYNCED, record.state());
            assertEquals(S3.buckets().head(bound.local, key).orElseThrow().record().version(), record.localVersion());
            assertEquals(sizes[i], record.sizeBytes());
        }
    }

    @Test
    void shouldServeSmallHitsFromTheEventLoopWithTheirTierStateAndStillRevalidateAfterTheTtl()
    {
        // Objects of one read buffer or less are answered on the event loop (InlineGet) when local and
        // fresh: the inline path must add the tier header and leave a due revalidation to the request thread.
        final Bound lasting = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] small = bytes(4096, 5);
        cold.direct().putObject(b -> b.bucket(lasting.coldBucket).key("p/s.bin"), RequestBody.fromBytes(small));
        assertArrayEquals(small, S3.client().getObjectAsBytes(b -> b.bucket(lasting.local).key("s.bin")).asByteArray());
        for (int i = 0; i < 5; i++)
        {
            final ResponseBytes<GetObjectResponse> hit = S3.client().getObjectAsBytes(b -> b.bucket(lasting.local).key("s.bin"));
            assertArrayEquals(small, hit.asByteArray());
            assertEquals(TierState.SYNCED.text(), hit.response().sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
        }
        assertEquals(1, cold.proxy().count("GET", lasting.coldBucket + "/p/s.bin"), "hits are served locally");
        assertEquals(0, cold.proxy().count("HEAD", lasting.coldBucket + "/p/s.bin"), "within the TTL no hit asks the cold tier");

        final Bound expiring = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withTtl(Duration.ZERO));
        cold.direct().putObject(b -> b.bucket(expiring.coldBucket).key("p/s.bin"), RequestBody.fromBytes(small));
        assertArrayEquals(small, S3.client().getObjectAsBytes(b -> b.bucket(expiring.local).key("s.bin")).asByteArray());
        assertArrayEquals(small, S3.client().getObjectAsBytes(b -> b.bucket(expiring.local).key("s.bin")).asByteArray());
        assertTrue(cold.proxy().count("HEAD", expiring.coldBucket + "/p/s.bin") >= 1, "TTL 0: a small hit revalidates too");
        final byte[] changed = bytes(2048, 6);
        cold.direct().putObject(b -> b.bucket(expiring.coldBucket).key("p/s.bin"), RequestBody.fromBytes(changed));
        assertArrayEquals(changed, S3.client().getObjectAsBytes(b -> b.bucket(expiring.local).key("s.bin")).asByteArray());
        assertEquals(2, cold.proxy().count("GET", expiring.coldBucket + "/p/s.bin"), "a changed cold object is fetched again");
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
            assertEachGot(data, results);
        }
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/hot"), "exactly one cold GET for 100 misses");
    }

    @Test
    void shouldStreamOneFetchToConcurrentMissesBeforeTheObjectLands() throws Exception
    {
        final byte[] data = bytes(6 << 20, 60);
        final Bound bound = trickledColdObject(TierSettings.defaults(), "shared", data, 1 << 20);
        final int clients = 4;
        final CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor())
        {
            final List<Future<Boolean>> early = new ArrayList<>();
            for (int i = 0; i < clients; i++)
            {
                early.add(pool.submit(() ->
                {
                    start.await();
                    return firstByteBeforeLanding(bound, "shared", data);
                }));
            }
            start.countDown();
            for (final Future<Boolean> result : early)
            {
                assertTrue(result.get(), "every concurrent miss got its first bytes before the object landed (6 MiB at 1 MiB/s)");
            }
        }
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/shared"), "they shared one cold GET");
    }

    /** Each GET returned exactly {@code data}: no piece missed, none handed out twice. */
    private static void assertEachGot(final byte[] data, final List<Future<byte[]>> results) throws Exception
    {
        for (final Future<byte[]> result : results)
        {
            assertArrayEquals(data, result.get(60, TimeUnit.SECONDS));
        }
    }

    /**
     * Binds a read-through bucket, puts {@code data} under {@code p/KEY} in its cold location, and
     * has the cold tier trickle every GET's body from now on.
     */
    private Bound trickledColdObject(final TierSettings settings, final String key, final byte[] data, final long bytesPerSecond)
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, settings);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/" + key), RequestBody.fromBytes(data));
        cold.proxy().trickleBytesPerSecond(bytesPerSecond);
        cold.proxy().inject(FaultProxy.Fault.TRICKLE, "GET", Integer.MAX_VALUE);
        return bound;
    }

    /**
     * GETs a key of a read-through bucket and checks its bytes.
     *
     * @return whether its first byte arrived while the key was not yet local.
     */
    private static boolean firstByteBeforeLanding(final Bound bound, final String key, final byte[] data) throws IOException
    {
        try (ResponseInputStream<GetObjectResponse> in = S3.client().getObject(b -> b.bucket(bound.local).key(key)))
        {
            final int firstByte = in.read();
            final boolean beforeLanding = S3.buckets().head(bound.local, key).isEmpty();
            assertEquals(data[0] & 0xff, firstByte);
            assertArrayEquals(Arrays.copyOfRange(data, 1, data.length), in.readAllBytes());
            return beforeLanding;
        }
    }

    @Test
    void shouldStreamToAMissThatJoinsAfterTheFirstBytesLeftAndMakeALaterOneWait() throws Exception
    {
        // 1 MiB parts: the first part is streamed (and replayed to late joiners), the other three are ranged GETs.
        final byte[] data = bytes(4 << 20, 61);
        final Bound bound = trickledColdObject(TierSettings.defaults().withParts(1 << 20, 2), "late", data, 1 << 20);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            ResponseInputStream<GetObjectResponse> early = S3.client().getObject(b -> b.bucket(bound.local).key("late")))
        {
            // The first 64 KiB piece and part of the next have left: a request joining now has missed them.
            assertArrayEquals(Arrays.copyOf(data, 200_000), early.readNBytes(200_000));
            final Future<Boolean> joined = pool.submit(() -> firstByteBeforeLanding(bound, "late", data));
            // Past the first part: the replay is closed, so a request joining now waits for the commit.
            assertArrayEquals(Arrays.copyOfRange(data, 200_000, (1 << 20) + 100_000), early.readNBytes((1 << 20) + 100_000 - 200_000));
            final Future<Boolean> waited = pool.submit(() ->
            {
                try (ResponseInputStream<GetObjectResponse> in = S3.client().getObject(b -> b.bucket(bound.local).key("late")))
                {
                    final boolean afterLanding = S3.buckets().head(bound.local, "late").isPresent();
                    assertArrayEquals(data, in.readAllBytes());
                    return afterLanding;
                }
            });
            assertArrayEquals(Arrays.copyOfRange(data, (1 << 20) + 100_000, data.length), early.readAllBytes());
            assertTrue(joined.get(60, TimeUnit.SECONDS), "a miss that joined after the first bytes left got its first bytes before the object landed");
            assertTrue(waited.get(60, TimeUnit.SECONDS), "a miss that joined after the first part answered from the local copy");
        }
        assertEquals(4, cold.proxy().count("GET", bound.coldBucket + "/p/late"), "one streamed GET and three ranged ones, shared by all three");
    }

    @Test
    void shouldHandEveryPieceOnceToMissesJoiningAllThroughAFill() throws Exception
    {
        final byte[] data = bytes(3 << 20, 62);
        final Bound bound = trickledColdObject(TierSettings.defaults(), "joiners", data, 2 << 20);
        // One request starts the fill; another joins each time it has read 75,000 more bytes, so the joins fall at
        // 40 points spread over the stream (paced by the leader's own reads, not by the clock).
        final int joiners = 40;
        final int step = 75_000;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            ResponseInputStream<GetObjectResponse> leader = S3.client().getObject(b -> b.bucket(bound.local).key("joiners")))
        {
            final List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < joiners; i++)
            {
                assertArrayEquals(Arrays.copyOfRange(data, i * step, (i + 1) * step), leader.readNBytes(step));
                results.add(pool.submit(() -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("joiners")).asByteArray()));
            }
            assertArrayEquals(Arrays.copyOfRange(data, joiners * step, data.length), leader.readAllBytes());
            assertEachGot(data, results);
        }
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/joiners"), "one cold GET for all of them");
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
    void shouldKeepAMultipartColdObjectsEtagOnItsLocalCopy()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] part1 = bytes(5 << 20, 43);
        final byte[] part2 = bytes(3 << 20, 44);
        final String coldEtag = ColdS3.completeTwoParts(cold.direct(), bound.coldBucket, "p/mp", part1, part2);
        assertTrue(coldEtag.endsWith("-2\""), "the cold server's multipart ETag: " + coldEtag);
        final byte[] whole = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, whole, 0, part1.length);
        System.arraycopy(part2, 0, whole, part1.length, part2.length);

        final ResponseBytes<GetObjectResponse> miss = S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("mp"));
        assertArrayEquals(whole, miss.asByteArray());
        assertEquals(coldEtag, miss.response().eTag(), "the miss answers with the cold ETag");
        assertEquals(coldEtag, S3.client().headObject(b -> b.bucket(bound.local).key("mp")).eTag(), "and so does the local copy");
        assertEquals(coldEtag, "\"" + S3.buckets().head(bound.local, "mp").orElseThrow().record().etag() + "\"");
        final S3Exception notModified = assertThrows(S3Exception.class,
            () -> S3.client().getObject(b -> b.bucket(bound.local).key("mp").ifNoneMatch(coldEtag)));
        assertEquals(304, notModified.statusCode(), "a client holding the cold ETag is told its copy is current");
        assertArrayEquals(whole, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("mp")).asByteArray());
        assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/mp"), "hits are local");
        assertTrue(S3.store().store().fsck(false, ProgressListener.NONE).clean(),
            "the copy is checked by its CRC-32Cs, not by an MD5 it does not claim");
    }

    @Test
    void shouldPrefetchALargeObjectByteExactFromItsRangedParts() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        // Nobody reads along: the ranged parts' buffers go straight into the put session.
        final byte[] data = bytes((17 << 20) + 12_345, 8);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/pf/big"), RequestBody.fromBytes(data));
        final Prefetch.Result result = TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 1, "job-big"));
        assertEquals(1, result.fetched());
        assertEquals(3, cold.proxy().count("GET", bound.coldBucket + "/p/pf/big"), "8 MiB parts: 3 ranged GETs");
        assertArrayEquals(data, S3.buckets().open(bound.local, "pf/big").handle().readAllBytes());
    }

    @Test
    void shouldPrefetchManyLargeObjectsAtOnceWithinTheFillsPartMemory() throws Exception
    {
        // 1 MiB parts, 2 in flight per object: the fills together may hold 2 x 2 x 1 MiB of ranged parts, while 8 of
        // them run at once with 5 or 6 ranged parts each. A fill that holds parts never waits for more, so all finish.
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withParts(1 << 20, 2), List.of(),
            ColdThreads.PLATFORM);
        final List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 12; i++)
        {
            final byte[] object = bytes((6 << 20) + 777 * i, 60 + i);
            data.add(object);
            final String key = "p/pf/o" + i;
            cold.direct().putObject(b -> b.bucket(bound.coldBucket).key(key), RequestBody.fromBytes(object));
        }
        final Prefetch.Result result = assertTimeoutPreemptively(Duration.ofMinutes(2),
            () -> TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 8, "job-part-memory")));
        assertEquals(data.size(), result.fetched());
        assertEquals(0, result.failed());
        for (int i = 0; i < data.size(); i++)
        {
            assertArrayEquals(data.get(i), S3.buckets().open(bound.local, "pf/o" + i).handle().readAllBytes(), "pf/o" + i);
        }
        assertEquals(6, cold.proxy().count("GET", bound.coldBucket + "/p/pf/o0"), "1 MiB parts: one stream, then 5 ranged GETs");
        assertTrue(S3.store().store().fsck(false, ProgressListener.NONE).clean());
    }

    @Test
    void shouldPrefetchOnACommandsPlatformThreadsByteExactAndRefuseCorruption() throws Exception
    {
        // What `conduit tier prefetch` runs: fills and parts on platform threads, the same guarantees.
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults(), List.of(), ColdThreads.PLATFORM);
        final Map<String, byte[]> tree = new TreeMap<>();
        tree.put("pf/empty", new byte[0]);
        tree.put("pf/small", bytes(70_001, 21));
        tree.put("pf/two-parts", bytes((9 << 20) + 3, 22));
        tree.forEach((key, data) -> cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/" + key), RequestBody.fromBytes(data)));
        cold.proxy().inject(FaultProxy.Fault.CORRUPT_BODY, "GET", Integer.MAX_VALUE);
        final Prefetch.Result refused = TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 3, "job-platform-corrupt"));
        assertEquals(2, refused.failed(), String.valueOf(refused.firstFailure()));
        assertTrue(S3.buckets().head(bound.local, "pf/two-parts").isEmpty(), "a corrupted fill publishes nothing");

        cold.proxy().heal();
        final Prefetch.Result fetched = TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 3, "job-platform"));
        assertEquals(2, fetched.fetched(), String.valueOf(fetched.firstFailure()));
        assertEquals(0, fetched.failed());
        for (final Map.Entry<String, byte[]> e : tree.entrySet())
        {
            assertArrayEquals(e.getValue(), S3.buckets().open(bound.local, e.getKey()).handle().readAllBytes(), e.getKey());
        }
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
    void shouldRefuseACorruptedColdTransferUnlessEtagVerificationIsOff() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] small = bytes(100_000, 11);
        // Two parts: the streamed first part and a ranged one.
        final byte[] big = bytes((9 << 20) + 7, 12);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/pf/small"), RequestBody.fromBytes(small));
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/pf/big"), RequestBody.fromBytes(big));
        cold.proxy().inject(FaultProxy.Fault.CORRUPT_BODY, "GET", Integer.MAX_VALUE);

        assertThrows(RuntimeException.class, () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("pf/small")));
        assertTrue(S3.buckets().head(bound.local, "pf/small").isEmpty(), "a corrupted miss publishes nothing");
        final Prefetch.Result refused = TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 2, "job-corrupt"));
        assertEquals(2, refused.failed(), String.valueOf(refused.firstFailure()));
        assertTrue(refused.firstFailure().contains("ETag"), refused.firstFailure());
        assertTrue(S3.buckets().head(bound.local, "pf/small").isEmpty(), "a corrupted prefetch publishes nothing");
        assertTrue(S3.buckets().head(bound.local, "pf/big").isEmpty(), "a corrupted ranged part publishes nothing");

        cold.proxy().heal();
        final Prefetch.Result fetched = TierAdmin.decodeResult(TierAdmin.prefetch(tiering, bound.local, "pf/", 2, "job-healed"));
        assertEquals(2, fetched.fetched());
        assertArrayEquals(big, S3.buckets().open(bound.local, "pf/big").handle().readAllBytes());

        // tier.verifyEtag=false (cold ETags that are not MD5s): the same corruption is not noticed.
        S3.server().tiering(null);
        tiering.close();
        final Bound unchecked = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withVerifyEtag(false));
        cold.direct().putObject(b -> b.bucket(unchecked.coldBucket).key("p/small"), RequestBody.fromBytes(small));
        cold.proxy().inject(FaultProxy.Fault.CORRUPT_BODY, "GET", Integer.MAX_VALUE);
        final byte[] served = S3.client().getObjectAsBytes(b -> b.bucket(unchecked.local).key("small")).asByteArray();
        assertEquals((byte)(small[0] ^ 0xFF), served[0]);
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
        ColdS3.awaitBacklogEmpty(tiering);
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
    void shouldCommitAWriteBackPutWithItsUploadRecordInOneJournalBatch() throws Exception
    {
        final Bound bound = bind(TierPolicy.WRITE_BACK, TierSettings.defaults().withRetries(0, Duration.ofSeconds(2)));
        // Uploads fail until healed: they commit nothing meanwhile, so every batch counted is a PUT's.
        cold.proxy().inject(FaultProxy.Fault.DROP, "", Integer.MAX_VALUE);
        final byte[][] data = new byte[4][];
        for (int i = 0; i < data.length; i++)
        {
            final String key = "small/" + i;
            data[i] = bytes(64 << 10, 70 + i);
            final byte[] body = data[i];
            final long batches = S3.store().store().counter(StoreCounter.JOURNAL_BATCHES);
            S3.client().putObject(b -> b.bucket(bound.local).key(key), RequestBody.fromBytes(body));
            assertEquals(batches + 1, S3.store().store().counter(StoreCounter.JOURNAL_BATCHES),
                "the object and its upload record in one journal batch");
            final TierRecord record = tiering.record(bound.local, key).orElseThrow();
            assertEquals(TierState.UPLOADING, record.state());
            assertEquals(S3.buckets().head(bound.local, key).orElseThrow().record().version(), record.localVersion());
        }
        cold.proxy().heal();
        ColdS3.awaitBacklogEmpty(tiering);
        for (int i = 0; i < data.length; i++)
        {
            final String coldKey = "p/small/" + i;
            assertArrayEquals(data[i], cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key(coldKey)).asByteArray());
        }
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
        ColdS3.awaitBacklogEmpty(tiering);
        assertArrayEquals(a, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/a")).asByteArray());
        assertArrayEquals(b2, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/b")).asByteArray());
    }

    @Test
    void shouldUploadOneAtATimeWhileAWriteBackPutIsInProgress() throws Exception
    {
        final Bound bound = bind(TierPolicy.WRITE_BACK, TierSettings.defaults());
        // Slow cold PUTs: four uploads allowed to run together would all be running at once for a while.
        cold.proxy().delayMs(300);
        cold.proxy().inject(FaultProxy.Fault.SLOW, "PUT", Integer.MAX_VALUE);
        final byte[] held = bytes(2 << 20, 60);
        final CountDownLatch halfSent = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final URI url = URI.create(S3.presigner().presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(bound.local).key("held"))).url().toString());
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            // A PUT whose client stops halfway: it is in progress (past its backlog room, not acknowledged) until released.
            final CompletableFuture<HttpResponse<String>> put = http.sendAsync(HttpRequest.newBuilder(url)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                    () -> new SequenceInputStream(new ByteArrayInputStream(held, 0, held.length / 2),
                        new HeldTail(new ByteArrayInputStream(held, held.length / 2, held.length / 2), halfSent, release))),
                    held.length)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(halfSent.await(60, TimeUnit.SECONDS));
            for (int i = 0; i < 1000 && tiering.writesInProgress() == 0; i++)
            {
                Thread.sleep(10); // the server starts the PUT on its own thread; the gauge is what there is to watch
            }
            assertEquals(1, tiering.writesInProgress());
            final byte[] data = bytes(64 << 10, 61);
            for (int i = 0; i < 4; i++)
            {
                final String key = "ckpt/" + i;
                S3.client().putObject(b -> b.bucket(bound.local).key(key), RequestBody.fromBytes(data));
            }
            int mostRunning = 0;
            for (int i = 0; i < 3000 && tiering.backlogObjects() > 0; i++)
            {
                mostRunning = Math.max(mostRunning, tiering.uploadsRunning());
                Thread.sleep(2); // sampling the uploads while they run
            }
            assertEquals(0, tiering.backlogObjects(), "the backlog drains while a PUT is in progress");
            assertEquals(1, mostRunning, "one upload at a time while a write-back PUT is in progress");
            release.countDown();
            assertEquals(200, put.get(60, TimeUnit.SECONDS).statusCode());
        }
        finally
        {
            release.countDown();
        }
        assertEquals(0, tiering.writesInProgress());
        ColdS3.awaitBacklogEmpty(tiering);
        assertArrayEquals(held, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/held")).asByteArray());
    }

    @Test
    void shouldDeleteInTheColdTierFromAJournalAndNeverReadADeletedKeyBack() throws Exception
    {
        final Bound bound = bind(TierPolicy.BOTH, TierSettings.defaults().withRetries(0, Duration.ofSeconds(2)));
        final byte[] v1 = bytes(200_000, 70);
        S3.client().putObject(b -> b.bucket(bound.local).key("ckpt/a"), RequestBody.fromBytes(v1));
        S3.client().putObject(b -> b.bucket(bound.local).key("ckpt/b"), RequestBody.fromBytes(v1));
        ColdS3.awaitBacklogEmpty(tiering);
        cold.proxy().inject(FaultProxy.Fault.ERROR_503, "DELETE", Integer.MAX_VALUE);
        S3.client().deleteObject(b -> b.bucket(bound.local).key("ckpt/a"));
        S3.client().deleteObject(b -> b.bucket(bound.local).key("ckpt/b"));
        assertEquals(2, tiering.backlogObjects(), "both deletes are journaled while the cold tier refuses them");
        assertArrayEquals(v1, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/ckpt/a")).asByteArray());
        cold.proxy().reset();
        assertEquals(404, assertThrows(S3Exception.class,
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("ckpt/a"))).statusCode());
        assertEquals(404, assertThrows(S3Exception.class,
            () -> S3.client().headObject(b -> b.bucket(bound.local).key("ckpt/a"))).statusCode());
        assertEquals(0, cold.proxy().count("GET", "p/ckpt/a") + cold.proxy().count("HEAD", "p/ckpt/a"),
            "a deleted key is never read back from the cold tier while its cold delete is pending");

        tiering.close();
        tiering = Tiering.open(S3.buckets(), TierSettings.defaults());
        S3.server().tiering(tiering);
        assertEquals(2, tiering.backlogObjects(), "the journaled deletes survived the restart");
        final byte[] v2 = bytes(100_000, 71);
        S3.client().putObject(b -> b.bucket(bound.local).key("ckpt/b"), RequestBody.fromBytes(v2));
        cold.proxy().heal();
        ColdS3.awaitBacklogEmpty(tiering);
        assertEquals(404, assertThrows(S3Exception.class,
            () -> cold.direct().headObject(b -> b.bucket(bound.coldBucket).key("p/ckpt/a"))).statusCode(), "deleted in the cold tier");
        assertArrayEquals(v2, cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/ckpt/b")).asByteArray(),
            "a PUT after the DELETE supersedes it");
        assertEquals(404, assertThrows(S3Exception.class,
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("ckpt/a"))).statusCode());
    }

    @Test
    void shouldDeleteOnlyTheLocalCopyOfAReadThroughBucket() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] data = bytes(50_000, 72);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/ds/x"), RequestBody.fromBytes(data));
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("ds/x")).asByteArray());
        S3.client().deleteObject(b -> b.bucket(bound.local).key("ds/x"));
        assertEquals(0, cold.proxy().count("DELETE", ""), "the cold tier is the source: a read-through bucket never deletes there");
        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bound.local).key("ds/x"));
        assertEquals(TierState.COLD_ONLY.text(), head.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow(),
            "the local copy is gone, the cold object is still there");
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("ds/x")).asByteArray(), "read through again");
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
        ColdS3.awaitBacklogEmpty(tiering);
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
        ColdS3.awaitBacklogEmpty(tiering);
    }

    @Test
    void shouldServeHitsAtLocalSpeedWithBoundedFetchesWhileTheColdTierIsSlow() throws Exception
    {
        final int parallelParts = 2;
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withParts(1 << 20, parallelParts));
        final byte[] hot = bytes(1 << 20, 50);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/hot"), RequestBody.fromBytes(hot));
        assertArrayEquals(hot, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("hot")).asByteArray());
        final byte[] slow = bytes(8 << 20, 51);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/slow"), RequestBody.fromBytes(slow));
        cold.proxy().reset();
        cold.proxy().trickleBytesPerSecond(1 << 20);
        cold.proxy().inject(FaultProxy.Fault.TRICKLE, "GET", Integer.MAX_VALUE);

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor())
        {
            final Future<byte[]> miss = pool.submit(() -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("slow")).asByteArray());
            for (int i = 0; i < 400 && cold.proxy().count("GET", bound.coldBucket + "/p/slow") == 0; i++)
            {
                Thread.sleep(10); // the fetch runs in the server; its first cold GET is what there is to watch
            }
            long slowestHitNs = 0;
            for (int i = 0; i < 20; i++)
            {
                final long startNs = System.nanoTime();
                assertArrayEquals(hot, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("hot")).asByteArray());
                slowestHitNs = Math.max(slowestHitNs, System.nanoTime() - startNs);
            }
            assertFalse(miss.isDone(), "20 hits were served while one miss trickled in at 1 MiB/s");
            assertTrue(slowestHitNs < 1_000_000_000L, "hits never wait for the cold tier: slowest " + slowestHitNs / 1_000_000 + " ms");
            assertArrayEquals(slow, miss.get(60, TimeUnit.SECONDS));
        }
        assertEquals(8, cold.proxy().count("GET", bound.coldBucket + "/p/slow"), "1 MiB parts: one stream, then 7 ranged GETs");
        // Memory: what a fill holds is what it has in flight from the cold tier, and that is bounded by tier.parallelParts.
        // The proxy counts a request until its handler has closed both sockets, which can be a moment after the client
        // read the last byte and started the next part. Parts started together finish together, so a whole window can
        // still be counted while the next one starts: at most twice the bound, and still below the 8 GETs an unbounded
        // fetch would have open at once.
        final int maxInFlight = cold.proxy().maxInFlight();
        assertTrue(maxInFlight <= 2 * parallelParts, "cold GETs in flight at once: " + maxInFlight);
    }

    @Test
    void shouldFailAMissWithAClearTimeoutWhenTheColdTierDoesNotAnswerInTime()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults().withRetries(1, Duration.ofMillis(500)));
        final byte[] data = bytes(10_000, 52);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/stalled"), RequestBody.fromBytes(data));
        cold.proxy().delayMs(3_000);
        cold.proxy().inject(FaultProxy.Fault.SLOW, "GET", Integer.MAX_VALUE);
        final long startNs = System.nanoTime();
        final S3Exception timedOut = assertThrows(S3Exception.class,
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("stalled")));
        assertEquals(503, timedOut.statusCode());
        assertTrue(timedOut.getMessage().contains("tier.requestTimeout"), timedOut.getMessage());
        assertTrue(System.nanoTime() - startNs < 2_900_000_000L, "the timeout, not the cold tier, ended the request");
        assertEquals(2, cold.proxy().count("GET", bound.coldBucket + "/p/stalled"), "one retry");
        assertTrue(S3.buckets().head(bound.local, "stalled").isEmpty(), "nothing partial is published");
        cold.proxy().heal();
        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bound.local).key("stalled")).asByteArray());
    }

    @Test
    void shouldQueueCopiesAndCompletedMultipartUploadsLikePuts() throws Exception
    {
        final Bound bound = bind(TierPolicy.WRITE_BACK, TierSettings.defaults());
        final byte[] source = bytes(200_000, 40);
        S3.client().putObject(b -> b.bucket(bound.local).key("src").contentType("application/x-src"), RequestBody.fromBytes(source));
        S3.client().copyObject(b -> b.sourceBucket(bound.local).sourceKey("src").destinationBucket(bound.local).destinationKey("copy"));
        final byte[] part1 = bytes(5 << 20, 41);
        final byte[] part2 = bytes(1 << 20, 42);
        final String localEtag = ColdS3.completeTwoParts(S3.client(), bound.local, "mpu", part1, part2);
        ColdS3.awaitBacklogEmpty(tiering);

        final ResponseBytes<GetObjectResponse> copy = cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/copy"));
        assertArrayEquals(source, copy.asByteArray(), "a copy reaches the cold tier byte-exact");
        assertEquals("application/x-src", copy.response().contentType());
        final byte[] whole = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, whole, 0, part1.length);
        System.arraycopy(part2, 0, whole, part1.length, part2.length);
        final ResponseBytes<GetObjectResponse> mpu = cold.direct().getObjectAsBytes(b -> b.bucket(bound.coldBucket).key("p/mpu"));
        assertArrayEquals(whole, mpu.asByteArray(), "a completed multipart upload reaches the cold tier byte-exact");
        // ETag semantics (docs/TIERING.md): the local ETag is the multipart one of the client's parts; below the
        // multipart threshold the cold copy is one PUT, so its ETag is the MD5 of the bytes.
        assertTrue(localEtag.endsWith("-2\""), localEtag);
        assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(whole)) + "\"", mpu.response().eTag());
        for (final String key : List.of("copy", "mpu"))
        {
            final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bound.local).key(key));
            assertEquals(TierState.SYNCED.text(), head.sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow(), key);
        }
    }

    @Test
    void shouldRunALoaderEpochOverShardsThatAreOnlyCold()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final String prefix = LocalCopies.objectPrefix(bound.local) + "train/";
        final Map<String, byte[]> shards = new TreeMap<>();
        for (int i = 0; i < 7; i++)
        {
            final byte[] data = bytes(60_000 + i * 7919, 20 + i);
            final String key = "train/shard-" + i + ".bin";
            cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/" + key), RequestBody.fromBytes(data));
            shards.put(LocalCopies.objectPrefix(bound.local) + key, data);
        }
        final Set<String> seen = new HashSet<>();
        try (DataPath path = hostPath().withMissingKeys(new TierKeySource(tiering));
             Loader loader = Loader.open(new LoaderOptions().prefix(prefix).batchSize(2).bufferBytes(1 << 20).ringSize(3)
                 .prefetchDepth(2).fetchAheadShards(3).seed(11), path, S3.buckets().store().store()))
        {
            assertEquals(shards.size(), loader.totalSamples(), "the cold listing supplies the shards");
            for (int b = 0; b < loader.batchesPerEpoch(); b++)
            {
                try (Batch batch = loader.next())
                {
                    for (final BatchEntry entry : batch.entries())
                    {
                        assertArrayEquals(shards.get(entry.name()), batch.bytes(entry).toArray(JAVA_BYTE), entry.name());
                        seen.add(entry.name());
                    }
                }
            }
        }
        assertEquals(shards.keySet(), seen, "one epoch reads every shard");
        for (final String key : shards.keySet())
        {
            final String coldKey = bound.coldBucket + "/p/" + key.substring(LocalCopies.objectPrefix(bound.local).length());
            assertEquals(1, cold.proxy().count("GET", coldKey), "each shard is fetched once: " + coldKey);
        }
    }

    @Test
    void shouldReadThroughTheDataPathWithOneFetchForConcurrentMisses()
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        final byte[] data = bytes(3 << 20, 30);
        cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/direct.bin"), RequestBody.fromBytes(data));
        final String key = LocalCopies.objectPrefix(bound.local) + "direct.bin";
        final int readers = 8;
        try (DataPath path = hostPath().withMissingKeys(new TierKeySource(tiering));
             DeviceBufferPool pool = DeviceBufferPool.host(1 << 20, readers))
        {
            final List<DeviceBuffer> buffers = new ArrayList<>();
            final List<CompletableFuture<Long>> reads = new ArrayList<>();
            for (int i = 0; i < readers; i++)
            {
                buffers.add(pool.acquire());
                reads.add(path.read(key, (long)i * 300_000, 100_000, buffers.get(i), 0));
            }
            for (int i = 0; i < readers; i++)
            {
                assertEquals(100_000L, reads.get(i).join());
                assertArrayEquals(Arrays.copyOfRange(data, i * 300_000, i * 300_000 + 100_000),
                    buffers.get(i).segment().asSlice(0, 100_000).toArray(JAVA_BYTE));
                buffers.get(i).close();
            }
            assertEquals(1, cold.proxy().count("GET", bound.coldBucket + "/p/direct.bin"), "concurrent misses share one fetch");
            try (DeviceBuffer buffer = pool.acquire())
            {
                final CompletionException nowhere = assertThrows(CompletionException.class,
                    () -> path.read(LocalCopies.objectPrefix(bound.local) + "nowhere", 0, 10, buffer, 0).join());
                assertEquals(ErrorCode.NOT_FOUND, ((ConduitException)nowhere.getCause()).code());
            }
        }
    }

    @Test
    void shouldReportARunningPrefetchsProgressByItsId() throws Exception
    {
        final Bound bound = bind(TierPolicy.READ_THROUGH, TierSettings.defaults());
        for (int i = 0; i < 3; i++)
        {
            final int seed = 60 + i;
            cold.direct().putObject(b -> b.bucket(bound.coldBucket).key("p/ds/" + seed), RequestBody.fromBytes(bytes(512 << 10, seed)));
        }
        assertThrows(ConduitException.class, () -> TierAdmin.progress(tiering, "job-1"), "nothing runs before the prefetch");
        cold.proxy().trickleBytesPerSecond(1 << 20);
        cold.proxy().inject(FaultProxy.Fault.TRICKLE, "GET", Integer.MAX_VALUE);
        final CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofVirtual().start(() ->
        {
            try
            {
                answer.complete(TierAdmin.prefetch(tiering, bound.local, "ds/", 1, "job-1"));
            }
            catch (final Throwable t)
            {
                answer.completeExceptionally(t);
            }
        });
        long[] midway = null;
        for (int i = 0; i < 1000 && midway == null && !answer.isDone(); i++)
        {
            try
            {
                final long[] state = TierAdmin.decodeProgress(TierAdmin.progress(tiering, "job-1"));
                midway = state[0] > 0 && state[0] < state[1] ? state : null;
            }
            catch (final ConduitException e)
            {
                assertEquals(ErrorCode.NOT_FOUND, e.code(), "only 'not started yet' may fail a poll");
            }
            Thread.sleep(10); // polling is what a remote client does; the prefetch trickles in at 1 MiB/s
        }
        assertTrue(midway != null, "a poll saw the prefetch part-way");
        assertEquals(3L * (512 << 10), midway[1], "the total is the listed bytes");
        final Prefetch.Result result = TierAdmin.decodeResult(answer.get(60, TimeUnit.SECONDS));
        assertEquals(3, result.fetched());
        assertEquals(3L * (512 << 10), result.listedBytes());
        final ConduitException over = assertThrows(ConduitException.class, () -> TierAdmin.progress(tiering, "job-1"));
        assertEquals(ErrorCode.NOT_FOUND, over.code(), "an ended prefetch is no longer reported");
    }

    @Test
    void shouldRefuseAnUnsignedTierAdministrationRequest() throws Exception
    {
        try (HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<String> list = http.send(HttpRequest.newBuilder(S3.endpoint().resolve("/_conduit/tier")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(403, list.statusCode(), "tier administration is signed like S3, never anonymous");
            final HttpResponse<String> detach = http.send(HttpRequest.newBuilder(S3.endpoint().resolve("/_conduit/tier/detach?bucket=x"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, detach.statusCode());
        }
    }

    private static DataPath hostPath()
    {
        return DataPath.open(DataPathOptions.DEFAULT, S3.buckets().store(), new PathChoice(PathKind.HOST, "test: the host path"));
    }

    private Bound bind(final TierPolicy policy, final TierSettings settings)
    {
        return bind(policy, settings, List.of());
    }

    private Bound bind(final TierPolicy policy, final TierSettings settings, final List<String> pinned)
    {
        return bind(policy, settings, pinned, ColdThreads.VIRTUAL);
    }

    private Bound bind(final TierPolicy policy, final TierSettings settings, final List<String> pinned, final ColdThreads threads)
    {
        final String local = S3.newBucket();
        final String coldBucket = "cold-" + COLD_BUCKETS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        cold.direct().createBucket(b -> b.bucket(coldBucket));
        tiering = Tiering.open(S3.buckets(), settings, threads);
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

    /** The rest of a request body, held back until released: its first read says the bytes before it were sent. */
    private static final class HeldTail extends InputStream
    {
        private final InputStream rest;
        private final CountDownLatch reached;
        private final CountDownLatch release;

        HeldTail(final InputStream rest, final CountDownLatch reached, final CountDownLatch release)
        {
            this.rest = rest;
            this.reached = reached;
            this.release = release;
        }

        @Override
        public int read() throws IOException
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException
        {
            reached.countDown();
            try
            {
                if (!release.await(120, TimeUnit.SECONDS))
                {
                    throw new IOException("never released");
                }
            }
            catch (final InterruptedException e)
            {
                throw new InterruptedIOException("interrupted while held");
            }
            return rest.read(b, off, len);
        }
    }
}
