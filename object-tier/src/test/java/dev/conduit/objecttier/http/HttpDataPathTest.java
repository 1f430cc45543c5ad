package dev.conduit.objecttier.http;

import java.io.IOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data path over raw sockets: a slow reader holds at most two pooled buffers and the rest of a
 * 64 MiB object waits on disk, a client that vanishes mid-GET gives every buffer back, one that
 * vanishes mid-PUT leaves no object, and a corrupt chunk cuts the response short instead of
 * serving wrong bytes; small objects (one buffer, served from the event loop) pipelined on one
 * connection come back whole, and give their buffers back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpDataPathTest
{
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int BUFFER_COUNT = 8;
    private static final long BIG = 64L << 20;
    private static final String BUCKET = "datapath";

    private static HttpTestServer fixture;
    private static S3Client s3;

    @BeforeAll
    static void startServer() throws IOException
    {
        fixture = HttpTestServer.start(o -> o.withReadBuffers(BUFFER_BYTES, BUFFER_COUNT));
        s3 = fixture.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketAcl(b -> b.bucket(BUCKET).acl("public-read"));
        s3.putObject(b -> b.bucket(BUCKET).key("big"), RequestBody.fromContentProvider(() -> GeneratedBytes.stream(11,
            BIG), BIG, "x/y"));
    }

    @AfterAll
    static void stopServer() throws IOException
    {
        fixture.close();
    }

    private static String get(final String key)
    {
        return "GET /" + BUCKET + "/" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    @Test
    void shouldHoldAtMostTwoBuffersForASlowReader() throws Exception
    {
        final ReadBufferPool pool = fixture.server.readBuffers();
        final AtomicInteger maxHeld = new AtomicInteger();
        final AtomicBoolean sampling = new AtomicBoolean(true);
        final Thread sampler = Thread.ofPlatform().start(() ->
        {
            while (sampling.get())
            {
                maxHeld.accumulateAndGet(pool.count() - pool.freeCount(), Math::max);
                LockSupport.parkNanos(200_000);
            }
        });
        final MessageDigest digest = GeneratedBytes.newSha256();
        try (RawHttp http = new RawHttp(fixture.port(), 64 << 10))
        {
            http.send(get("big"));
            final RawHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            assertEquals(BIG, head.contentLength());
            final byte[] chunk = new byte[16 << 10];
            long received = 0;
            // Slowly at first: the socket buffers fill, the server must stop reading from the store.
            final long slowUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (received < BIG)
            {
                final int n = http.in().read(chunk, 0, (int)Math.min(chunk.length, BIG - received));
                assertTrue(n > 0);
                digest.update(chunk, 0, n);
                received += n;
                if (System.nanoTime() - slowUntil < 0)
                {
                    Thread.sleep(5);
                }
            }
        }
        finally
        {
            sampling.set(false);
            sampler.join();
        }
        assertArrayEquals(GeneratedBytes.sha256(11, BIG), digest.digest());
        assertTrue(maxHeld.get() <= 2, "buffers held by one connection: " + maxHeld.get());
        assertTrue(maxHeld.get() >= 1, "the sampler never saw a buffer in use");
        assertTrue(HttpTestServer.await(() -> pool.freeCount() == BUFFER_COUNT, Duration.ofSeconds(10)));
    }

    @Test
    void shouldReturnEveryBufferWhenTheClientDisconnectsMidGet() throws Exception
    {
        final ReadBufferPool pool = fixture.server.readBuffers();
        for (int i = 0; i < 3; i++)
        {
            try (RawHttp http = new RawHttp(fixture.port(), 64 << 10))
            {
                http.send(get("big"));
                assertEquals(200, http.readHead().status());
                assertArrayEquals(GeneratedBytes.bytes(11, 0, 1 << 20), http.readBytes(1 << 20));
                http.reset();
            }
        }
        assertTrue(HttpTestServer.await(() -> pool.freeCount() == BUFFER_COUNT
            && fixture.server.metrics().inFlightRequests() == 0,
            Duration.ofSeconds(10)), "free buffers " + pool.freeCount() + ", in flight "
                + fixture.server.metrics().inFlightRequests());
        // The server still serves.
        assertEquals(1000,
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("big").range("bytes=0-999")).asByteArray().length);
    }

    @Test
    void shouldLeaveNoObjectWhenTheClientDisconnectsMidPut() throws Exception
    {
        final URL url = fixture.presigner().presignPutObject(PutObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(BUCKET).key("half"))
            .build()).url();
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nContent-Length: "
                + (8 << 20) + "\r\n\r\n");
            http.send(GeneratedBytes.bytes(3, 0, 1 << 20));
            Thread.sleep(200);
            http.reset();
        }
        assertTrue(HttpTestServer.await(() -> fixture.server.metrics().inFlightRequests() == 0,
            Duration.ofSeconds(10)));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key("half")));
        assertTrue(fixture.accessLog.stream().anyMatch(line -> line.contains("\"operation\":\"PutObject\"")
            && line.contains("\"key\":\"half\"")
            && line.contains("\"status\":0")), fixture.accessLog.toString());
    }

    @Test
    void shouldCutTheResponseShortWhenAServedChunkIsCorrupt() throws Exception
    {
        final int size = 4 << 20;
        s3.putObject(b -> b.bucket(BUCKET).key("rot"), RequestBody.fromBytes(GeneratedBytes.bytes(5, 0, size)));
        final S3Object object = fixture.buckets.head(BUCKET, "rot").orElseThrow();
        flipByte(object, (5L << 19));
        final long corruptBefore = fixture.server.metrics().corruptReads();
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send(get("rot"));
            final RawHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            final byte[] chunk = new byte[1 << 16];
            long received = 0;
            int n;
            try
            {
                while ((n = http.in().read(chunk)) > 0)
                {
                    received += n;
                }
            }
            catch (final IOException reset)
            {
                // A reset is as good as a close: the body is short either way.
            }
            assertTrue(received < size, "received " + received);
            assertTrue(received >= 2 << 20, "the chunks before the corrupt one should have been served: " + received);
        }
        assertEquals(corruptBefore + 1, fixture.server.metrics().corruptReads());
        // Ranges that do not touch the damaged chunk still verify and serve.
        assertArrayEquals(GeneratedBytes.bytes(5, 0, 4096),
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("rot").range("bytes=0-4095")).asByteArray());
    }

    @Test
    void shouldServePipelinedSmallGetsWholeAndGiveEveryBufferBack() throws Exception
    {
        // One buffer or less: answered from the event loop with no request thread (InlineGet).
        final int size = 5000;
        s3.putObject(b -> b.bucket(BUCKET).key("small"), RequestBody.fromBytes(GeneratedBytes.bytes(7, 0, size)));
        s3.putObject(b -> b.bucket(BUCKET).key("one"), RequestBody.fromBytes(GeneratedBytes.bytes(8, 0, 1)));
        final int rounds = 20;
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            final StringBuilder pipelined = new StringBuilder();
            for (int i = 0; i < rounds; i++)
            {
                pipelined.append(get(i % 2 == 0 ? "small" : "one"));
            }
            http.send(pipelined.toString());
            for (int i = 0; i < rounds; i++)
            {
                final RawHttp.Head head = http.readHead();
                assertEquals(200, head.status());
                final int expected = i % 2 == 0 ? size : 1;
                assertEquals(expected, head.contentLength());
                assertTrue(head.headers().containsKey("etag"), head.headers().toString());
                assertTrue(head.headers().containsKey("last-modified"), head.headers().toString());
                assertArrayEquals(GeneratedBytes.bytes(i % 2 == 0 ? 7 : 8, 0, expected), http.readBytes(expected));
            }
        }
        final ReadBufferPool pool = fixture.server.readBuffers();
        assertTrue(HttpTestServer.await(() -> pool.freeCount() == BUFFER_COUNT
            && fixture.server.metrics().inFlightRequests() == 0,
            Duration.ofSeconds(10)), "free buffers " + pool.freeCount() + ", in flight "
                + fixture.server.metrics().inFlightRequests());
    }

    @Test
    void shouldAnswerInternalErrorForASmallObjectWhoseChunkIsCorrupt() throws Exception
    {
        final int size = 8192;
        s3.putObject(b -> b.bucket(BUCKET).key("rot-small"), RequestBody.fromBytes(GeneratedBytes.bytes(9, 0, size)));
        s3.putObject(b -> b.bucket(BUCKET).key("sound-small"), RequestBody.fromBytes(GeneratedBytes.bytes(10, 0, size)));
        final S3Object object = fixture.buckets.head(BUCKET, "rot-small").orElseThrow();
        flipByte(object, 100);
        final long corruptBefore = fixture.server.metrics().corruptReads();
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            // Nothing of a small object goes out before it verified: the client gets an S3 error, not wrong bytes.
            http.send(get("rot-small"));
            final RawHttp.Response refused = RawHttp.read(http.in(), false);
            assertEquals(500, refused.status(), refused.toString());
            assertEquals("InternalError", refused.errorCode(), refused.toString());
            assertTrue(refused.bodyText().contains("checksum"), refused.bodyText());
            // The same connection keeps serving.
            http.send(get("sound-small"));
            final RawHttp.Response served = RawHttp.read(http.in(), false);
            assertEquals(200, served.status(), served.toString());
            assertArrayEquals(GeneratedBytes.bytes(10, 0, size), served.body());
            // A read that did not verify fills no cache: the next GET reads the disk again and is refused again.
            http.send(get("rot-small"));
            final RawHttp.Response again = RawHttp.read(http.in(), false);
            assertEquals(500, again.status(), again.toString());
        }
        assertEquals(corruptBefore + 2, fixture.server.metrics().corruptReads());
        final ReadBufferPool pool = fixture.server.readBuffers();
        assertTrue(HttpTestServer.await(() -> pool.freeCount() == BUFFER_COUNT, Duration.ofSeconds(10)),
            "free buffers " + pool.freeCount());
    }

    private static void flipByte(final S3Object object, final long logical) throws IOException
    {
        final long[] where = new long[2];
        object.record().layout().forEachPiece(logical, 1, (ns, physical, l, n) ->
        {
            where[0] = ns;
            where[1] = physical;
        });
        final Path file = fixture.dir.resolve(String.format("ns-%03d.cdt", where[0]));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, where[1]);
            one.put(0, (byte)(one.get(0) ^ 0x40)).rewind();
            channel.write(one, where[1]);
            channel.force(false);
        }
    }
}
