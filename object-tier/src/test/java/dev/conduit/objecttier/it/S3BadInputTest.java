package dev.conduit.objecttier.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.conduit.objecttier.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile or broken client can send over a plain socket: garbage, oversized request lines
 * and headers, truncated and malformed bodies, bad, expired and skewed signatures, traversal keys,
 * disconnects mid-transfer, and a thousand connections at once. After every test a normal SDK
 * request must still succeed and every object acknowledged so far must read back byte-exact.
 */
@Timeout(120)
final class S3BadInputTest
{
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    /** Every object the server acknowledged, by bucket/key: it must survive everything that follows. */
    private static final Map<String, byte[]> ACKNOWLEDGED = new ConcurrentHashMap<>();
    private static String bucket;

    @BeforeAll
    static void createBucketWithCanaries()
    {
        bucket = S3.newBucket();
        putAcknowledged("canary/small", Payloads.random(1234, 1));
        putAcknowledged("canary/large", Payloads.random(3 * MIB + 5, 2));
    }

    @AfterEach
    void serverStillServesEveryAcknowledgedObject()
    {
        S3.client().listBuckets();
        ACKNOWLEDGED.forEach((path, data) ->
        {
            final String[] bucketAndKey = path.split("/", 2);
            assertArrayEquals(data,
                S3.client().getObjectAsBytes(b -> b.bucket(bucketAndKey[0]).key(bucketAndKey[1])).asByteArray(), path);
        });
    }

    @Test
    void shouldAnswer400OrCloseWhenSentGarbageInsteadOfHttp() throws IOException
    {
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            RawHttp.send(socket, Payloads.random(4096, 13));
            final RawHttp.Response response = RawHttp.read(socket.getInputStream(), false);

            assertTrue(response.status() == -1 || response.status() == 400, response.toString());
            assertTrue(RawHttp.closedByServer(socket), "a connection that sent garbage is closed");
        }
    }

    @Test
    void shouldRefuseAHugeRequestLine() throws IOException
    {
        final byte[] request = ("GET /" + bucket + "/" + "a".repeat(64 << 10) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            RawHttp.send(socket, request);
            final RawHttp.Response response = RawHttp.read(socket.getInputStream(), false);

            assertTrue(response.status() == -1 || response.status() == 414 || response.status() == 400,
                response.toString());
            assertTrue(RawHttp.closedByServer(socket));
        }
    }

    @Test
    void shouldServeHeadersJustUnder16KiBAndRefuseHeadersOver16KiB() throws IOException
    {
        final byte[] fits = S3.request("GET", "/" + bucket + "/canary/small")
            .unsignedHeader("x-pad", "p".repeat(12 << 10))
            .signedAt(Instant.now());
        final byte[] tooBig = S3.request("GET", "/" + bucket + "/canary/small")
            .unsignedHeader("x-pad", "p".repeat(20 << 10))
            .signedAt(Instant.now());

        final RawHttp.Response ok = RawHttp.exchange(S3.port(), fits, false);
        final RawHttp.Response refused = RawHttp.exchange(S3.port(), tooBig, false);

        assertEquals(200, ok.status(), ok.toString());
        assertArrayEquals(ACKNOWLEDGED.get(bucket + "/canary/small"), ok.body());
        assertTrue(refused.status() == -1 || refused.status() == 431 || refused.status() == 400, refused.toString());
    }

    @Test
    void shouldNotCreateAnObjectFromATruncatedBody() throws IOException
    {
        final byte[] data = Payloads.random(100_000, 17);
        final byte[] request = S3.request("PUT", "/" + bucket + "/truncated").body(data)
            .payloadHash(SignedRequest.UNSIGNED_PAYLOAD)
            .signedAt(Instant.now());
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            RawHttp.send(socket, Arrays.copyOf(request, request.length - 60_000));
            socket.shutdownOutput();
            final RawHttp.Response response = RawHttp.read(socket.getInputStream(), false);

            assertTrue(response.status() == -1 || response.status() == 400, response.toString());
        }
        assertNoObject(bucket, "truncated");
        sleepQuietly(500);
        assertNoObject(bucket, "truncated");
    }

    @Test
    void shouldRefuseAWrongSignature() throws IOException
    {
        final String request = new String(S3.request("GET", "/" + bucket + "/canary/small").signedAt(Instant.now()),
            StandardCharsets.ISO_8859_1);
        final int at = request.indexOf("Signature=") + "Signature=".length();
        final char flipped = request.charAt(at) == '0' ? '1' : '0';
        final byte[] tampered = (request.substring(0, at) + flipped + request.substring(at + 1))
            .getBytes(StandardCharsets.ISO_8859_1);

        final RawHttp.Response response = RawHttp.exchange(S3.port(), tampered, false);

        assertEquals(403, response.status(), response.toString());
        assertEquals("SignatureDoesNotMatch", response.errorCode());
    }

    @Test
    void shouldRefuseAnExpiredPresignedUrlButServeAValidOne() throws IOException
    {
        final byte[] expired = S3.request("GET", "/" + bucket + "/canary/small")
            .presignedAt(Instant.now().minusSeconds(7200), Duration.ofSeconds(60));
        final byte[] valid = S3.request("GET", "/" + bucket + "/canary/small")
            .presignedAt(Instant.now(), Duration.ofSeconds(60));

        final RawHttp.Response refused = RawHttp.exchange(S3.port(), expired, false);
        final RawHttp.Response served = RawHttp.exchange(S3.port(), valid, false);

        assertEquals(403, refused.status(), refused.toString());
        assertEquals("AccessDenied", refused.errorCode(), refused.toString());
        assertEquals(200, served.status(), served.toString());
        assertArrayEquals(ACKNOWLEDGED.get(bucket + "/canary/small"), served.body());
    }

    @ParameterizedTest
    @ValueSource(longs = {3600, -3600})
    void shouldRefuseACorrectlySignedRequestAnHourOff(final long offsetSeconds) throws IOException
    {
        final byte[] request = S3.request("GET", "/" + bucket + "/canary/small")
            .signedAt(Instant.now().plusSeconds(offsetSeconds));

        final RawHttp.Response response = RawHttp.exchange(S3.port(), request, false);

        assertEquals(403, response.status(), response.toString());
        assertEquals("RequestTimeTooSkewed", response.errorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../b", "%2e%2e/b", "a/%2E%2E/b", "..", "a%00b", "a/b%00"})
    void shouldRefuseTraversalAndNulKeys(final String rawKey) throws IOException
    {
        final String target = S3.newBucket();
        final byte[] request = S3.request("PUT", "/" + target + "/" + rawKey)
            .body("escaped?".getBytes(StandardCharsets.UTF_8))
            .signedAt(Instant.now());

        final RawHttp.Response response = RawHttp.exchange(S3.port(), request, false);

        assertEquals(400, response.status(), response.toString());
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(target)).keyCount(),
            "nothing was stored under any name");
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(bucket).prefix("b")).keyCount(),
            "nothing landed beside it");
    }

    @Test
    void shouldStoreADotSegmentKeyLiterallyWithoutNormalisingIt() throws IOException
    {
        final String target = S3.newBucket();
        final byte[] request = S3.request("PUT", "/" + target + "/a/./b").body(new byte[] {7}).signedAt(Instant.now());

        final RawHttp.Response response = RawHttp.exchange(S3.port(), request, false);

        assertEquals(200, response.status(), response.toString());
        ACKNOWLEDGED.put(target + "/a/./b", new byte[] {7});
        assertEquals(List.of("a/./b"),
            S3.client().listObjectsV2(b -> b.bucket(target)).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void shouldStoreA1024ByteKeyAndRefuseA1025ByteKey() throws IOException
    {
        final String longest = "k".repeat(1024);
        final byte[] fits = S3.request("PUT", "/" + bucket + "/" + longest).body(new byte[] {42})
            .signedAt(Instant.now());
        final byte[] tooLong = S3.request("PUT", "/" + bucket + "/" + longest + "k").body(new byte[] {43})
            .signedAt(Instant.now());

        final RawHttp.Response stored = RawHttp.exchange(S3.port(), fits, false);
        final RawHttp.Response refused = RawHttp.exchange(S3.port(), tooLong, false);

        assertEquals(200, stored.status(), stored.toString());
        ACKNOWLEDGED.put(bucket + "/" + longest, new byte[] {42});
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("KeyTooLongError", refused.errorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zz\r\nhello\r\n0\r\n\r\n", "64\r\nhello\r\n0\r\n\r\n", "5\r\nhello", "5;chunk-signature=\r\nhello\r\n0\r\n"})
    void shouldRefuseAMalformedAwsChunkedBody(final String body) throws IOException
    {
        final String key = "chunked-" + Integer.toHexString(body.hashCode());
        final byte[] request = S3.request("PUT", "/" + bucket + "/" + key)
            .header("content-encoding", "aws-chunked")
            .header("x-amz-decoded-content-length", "5")
            .payloadHash("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .body(body.getBytes(StandardCharsets.US_ASCII))
            .signedAt(Instant.now());
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            RawHttp.send(socket, request);
            socket.shutdownOutput();
            final RawHttp.Response response = RawHttp.read(socket.getInputStream(), false);

            assertTrue(response.status() == -1 || response.status() == 400, response.toString());
        }
        assertNoObject(bucket, key);
    }

    @Test
    void shouldLeaveNoObjectAndNoSpaceWhenAClientDisconnectsMidUpload() throws IOException
    {
        final long usedBefore = S3.usedBytes();
        final byte[] data = Payloads.random(8 * MIB, 23);
        final byte[] request = S3.request("PUT", "/" + bucket + "/abandoned").body(data)
            .payloadHash(SignedRequest.UNSIGNED_PAYLOAD)
            .signedAt(Instant.now());
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            RawHttp.send(socket, Arrays.copyOf(request, request.length - 5 * MIB));
            sleepQuietly(200);
            socket.setSoLinger(true, 0);
        }

        assertNoObject(bucket, "abandoned");
        assertEventually("space returns to " + usedBefore, () -> S3.usedBytes() == usedBefore ? 0 : 1, S3::usedBytes);
        assertNoObject(bucket, "abandoned");
    }

    @Test
    void shouldReleaseTheObjectWhenAClientDisconnectsMidDownload() throws IOException
    {
        final long usedBefore = S3.usedBytes();
        final byte[] data = Payloads.random(16 * MIB, 29);
        S3.client().putObject(b -> b.bucket(bucket).key("download"), RequestBody.fromBytes(data));
        final byte[] request = S3.request("GET", "/" + bucket + "/download").signedAt(Instant.now());
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            socket.setReceiveBufferSize(64 << 10);
            RawHttp.send(socket, request);
            final InputStream in = socket.getInputStream();
            assertEquals(256 << 10, in.readNBytes(256 << 10).length);
            socket.setSoLinger(true, 0);
        }

        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("download")).asByteArray());
        S3.client().deleteObject(b -> b.bucket(bucket).key("download"));
        assertEventually("the abandoned read released its version; space returns to " + usedBefore,
            () -> S3.usedBytes() <= usedBefore ? 0 : 1, S3::usedBytes);
    }

    @Test
    void shouldAnswerAThousandConcurrentConnections() throws Exception
    {
        final int connections = 1000;
        final byte[] expected = ACKNOWLEDGED.get(bucket + "/canary/small");
        final CountDownLatch allConnected = new CountDownLatch(connections);
        final List<Future<String>> outcomes = new ArrayList<>(connections);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor())
        {
            for (int i = 0; i < connections; i++)
            {
                final boolean head = (i & 1) == 1;
                outcomes.add(threads.submit(() -> oneOfMany(head, expected, allConnected)));
            }
            int failures = 0;
            final StringBuilder firstFailures = new StringBuilder();
            for (final Future<String> outcome : outcomes)
            {
                final String failure = outcome.get(100, TimeUnit.SECONDS);
                if (!failure.isEmpty())
                {
                    if (failures++ < 5)
                    {
                        firstFailures.append(failure).append('\n');
                    }
                }
            }
            assertEquals(0, failures, firstFailures.toString());
        }
    }

    private static String oneOfMany(
        final boolean head,
        final byte[] expected,
        final CountDownLatch allConnected) throws Exception
    {
        try (Socket socket = RawHttp.connect(S3.port()))
        {
            allConnected.countDown();
            if (!allConnected.await(60, TimeUnit.SECONDS))
            {
                return "not every connection was accepted within 60 s";
            }
            RawHttp.send(socket,
                S3.request(head ? "HEAD" : "GET", "/" + bucket + "/canary/small").signedAt(Instant.now()));
            final RawHttp.Response response = RawHttp.read(socket.getInputStream(), head);
            if (response.status() != 200)
            {
                return response.toString();
            }
            if (head)
            {
                return Long.toString(expected.length)
                    .equals(response.headers().get("content-length")) ? "" : "HEAD length " + response;
            }
            return Arrays.equals(expected, response.body()) ? "" : "GET returned other bytes";
        }
    }

    private static void putAcknowledged(final String key, final byte[] data)
    {
        S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        ACKNOWLEDGED.put(bucket + "/" + key, data);
    }

    private static void assertNoObject(final String inBucket, final String key)
    {
        final S3Exception thrown = assertThrows(S3Exception.class,
            () -> S3.client().headObject(b -> b.bucket(inBucket).key(key)));
        assertEquals(404, thrown.statusCode());
        assertFalse(S3.client().listObjectsV2(b -> b.bucket(inBucket).prefix(key)).contents().stream()
            .anyMatch(o -> o.key().equals(key)));
    }

    /** Polls for a state the server reaches asynchronously (space freed after a connection dies), up to 15 s. */
    private static void assertEventually(
        final String what,
        final LongSupplier zeroWhenDone,
        final LongSupplier observed)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (zeroWhenDone.getAsLong() != 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError(what + ", still " + observed.getAsLong());
            }
            sleepQuietly(50);
        }
    }

    private static void sleepQuietly(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
