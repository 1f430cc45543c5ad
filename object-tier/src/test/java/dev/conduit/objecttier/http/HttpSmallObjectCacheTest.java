package dev.conduit.objecttier.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.conduit.objecttier.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The small-object cache over a real server and raw sockets: a repeated GET is a hit with the same
 * bytes; an overwrite (same size) or a delete is seen by the very next GET, never the cached bytes;
 * the cache stays within its capacity; each hit and miss shows in {@code /_conduit/metrics}; a scan
 * of keys read once does not evict a set of keys read again and again. A fresh server (and cache) per test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpSmallObjectCacheTest
{
    private static final String BUCKET = "cached";
    private static final int SIZE = 4096;
    private static final long CAPACITY = 8 * SIZE;

    private static HttpTestServer fixture;
    private static S3Client s3;

    @BeforeEach
    void startServer() throws IOException
    {
        fixture = HttpTestServer.start(o -> o.withSmallObjectCacheBytes(CAPACITY));
        s3 = fixture.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketAcl(b -> b.bucket(BUCKET).acl("public-read"));
    }

    @AfterEach
    void stopServer() throws IOException
    {
        fixture.close();
    }

    @Test
    void shouldServeTheCatalogsCurrentVersionAfterAnOverwriteAndNothingAfterADelete() throws Exception
    {
        put("k", 1);
        final long hitsBefore = counter("conduit_s3_small_object_cache_hits_total");
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            assertArrayEquals(GeneratedBytes.bytes(1, 0, SIZE), get(http, "k", 200));
            assertArrayEquals(GeneratedBytes.bytes(1, 0, SIZE), get(http, "k", 200));
            assertEquals(hitsBefore + 1, counter("conduit_s3_small_object_cache_hits_total"),
                "the second GET should be a hit");
            // Same key, same size, other bytes: the entry is of the replaced version and must not be served.
            put("k", 2);
            assertArrayEquals(GeneratedBytes.bytes(2, 0, SIZE), get(http, "k", 200));
            assertArrayEquals(GeneratedBytes.bytes(2, 0, SIZE), get(http, "k", 200));
            assertEquals(hitsBefore + 2, counter("conduit_s3_small_object_cache_hits_total"),
                "only the GET after the new version was read should be a hit");
            s3.deleteObject(b -> b.bucket(BUCKET).key("k"));
            get(http, "k", 404);
        }
        assertEquals(hitsBefore + 2, counter("conduit_s3_small_object_cache_hits_total"));
    }

    @Test
    void shouldStayWithinItsCapacityAndServeEveryObjectsOwnBytes() throws Exception
    {
        final int objects = 20;
        for (int i = 0; i < objects; i++)
        {
            put("many-" + i, 100 + i);
        }
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < objects; i++)
                {
                    assertArrayEquals(GeneratedBytes.bytes(100 + i, 0, SIZE), get(http, "many-" + i, 200), "many-" + i);
                }
            }
        }
        assertTrue(counter("conduit_s3_small_object_cache_bytes") <= CAPACITY);
        assertTrue(counter("conduit_s3_small_object_cache_evictions_total") > 0);
    }

    @Test
    void shouldKeepAHotSetThroughAScanOfKeysReadOnce() throws Exception
    {
        final int hot = 3;
        final int scan = 5 * (int)(CAPACITY / SIZE);
        for (int i = 0; i < hot; i++)
        {
            put("hot-" + i, 200 + i);
        }
        for (int i = 0; i < scan; i++)
        {
            put("scan-" + i, 300 + i);
        }
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < hot; i++)
                {
                    get(http, "hot-" + i, 200);
                }
            }
            final long evictionsBefore = counter("conduit_s3_small_object_cache_evictions_total");
            for (int i = 0; i < scan; i++)
            {
                // Interleaved with the hot set, as a scan runs next to the traffic it must not disturb.
                assertArrayEquals(GeneratedBytes.bytes(300 + i, 0, SIZE), get(http, "scan-" + i, 200), "scan-" + i);
                if (i % 8 == 7)
                {
                    get(http, "hot-" + (i / 8 % hot), 200);
                }
            }
            assertTrue(counter("conduit_s3_small_object_cache_evictions_total") >= evictionsBefore + scan - CAPACITY / SIZE,
                "the scan should have filled and evicted");
            final long hitsBefore = counter("conduit_s3_small_object_cache_hits_total");
            for (int i = 0; i < hot; i++)
            {
                assertArrayEquals(GeneratedBytes.bytes(200 + i, 0, SIZE), get(http, "hot-" + i, 200), "hot-" + i);
            }
            assertEquals(hitsBefore + hot, counter("conduit_s3_small_object_cache_hits_total"),
                "every key of the hot set should still be cached after the scan");
        }
        assertTrue(counter("conduit_s3_small_object_cache_bytes") <= CAPACITY);
    }

    @Test
    void shouldAnswerPipelinedHitsWholeAndInOrderAndCloseOnlyAfterTheLast() throws Exception
    {
        // Hits end on their body's release, not a promise: a body the encoder copies into the head (tiny) is
        // released before it is written, and a closing response must still go out whole before the close.
        put("big", 7);
        s3.putObject(b -> b.bucket(BUCKET).key("tiny"), RequestBody.fromBytes(GeneratedBytes.bytes(8, 0, 10)));
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            get(http, "big", 200);
            get(http, "tiny", 200);
        }
        final long hitsBefore = counter("conduit_s3_small_object_cache_hits_total");
        final String get = "GET /" + BUCKET + "/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n";
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send(get.formatted("big", "") + get.formatted("tiny", "") + get.formatted("big", "")
                + get.formatted("tiny", "") + get.formatted("big", "Connection: close\r\n"));
            for (int i = 0; i < 5; i++)
            {
                final RawHttp.Response response = RawHttp.read(http.in(), false);
                assertEquals(200, response.status(), response.toString());
                assertArrayEquals(i % 2 == 0 ? GeneratedBytes.bytes(7, 0, SIZE) : GeneratedBytes.bytes(8, 0, 10),
                    response.body(), "response " + i);
            }
            assertEquals(-1, http.in().read(), "the connection closes after the last response");
        }
        assertEquals(hitsBefore + 5, counter("conduit_s3_small_object_cache_hits_total"));
    }

    private static void put(final String key, final int seed)
    {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(GeneratedBytes.bytes(seed, 0, SIZE)));
    }

    private static byte[] get(final RawHttp http, final String key, final int status) throws IOException
    {
        http.send("GET /" + BUCKET + "/" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        final RawHttp.Response response = RawHttp.read(http.in(), false);
        assertEquals(status, response.status(), response.toString());
        return response.body();
    }

    private static long counter(final String name) throws IOException
    {
        final RawHttp.Response scrape = RawHttp.exchange(fixture.port(),
            "GET /_conduit/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            false);
        assertEquals(200, scrape.status(), scrape.toString());
        for (final String line : scrape.bodyText().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return (long)Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is missing from the scrape");
    }
}
