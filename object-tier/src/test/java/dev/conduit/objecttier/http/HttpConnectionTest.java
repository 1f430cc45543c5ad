package dev.conduit.objecttier.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.conduit.objecttier.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection's protocol over raw sockets: keep-alive and pipelined requests answered in order,
 * 100-continue only after the signature passed, malformed and oversized requests answered 400 and
 * closed, an idle request timed out, a connection limit; and the unauthenticated endpoints.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpConnectionTest
{
    private static final String BUCKET = "wire";
    private static HttpTestServer fixture;
    private static S3Client s3;

    @BeforeAll
    static void startServer() throws IOException
    {
        fixture = HttpTestServer.start(o -> o.withIdleTimeout(Duration.ofMillis(700)).withMaxHeaderBytes(4096));
        s3 = fixture.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketAcl(b -> b.bucket(BUCKET).acl("public-read"));
        s3.putObject(b -> b.bucket(BUCKET).key("one"), RequestBody.fromString("first object"));
        s3.putObject(b -> b.bucket(BUCKET).key("two"), RequestBody.fromString("second"));
    }

    @AfterAll
    static void stopServer() throws IOException
    {
        fixture.close();
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderOnOneConnection() throws IOException
    {
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("GET /wire/one HTTP/1.1\r\nHost: x\r\n\r\nHEAD /wire/two HTTP/1.1\r\nHost: x\r\n\r\nGET /wire/two HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Head first = http.readHead();
            assertEquals(200, first.status());
            assertEquals("first object", new String(http.readBytes(first.contentLength()), StandardCharsets.UTF_8));
            final RawHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            assertEquals(6, head.contentLength());
            final RawHttp.Head second = http.readHead();
            assertEquals("second", new String(http.readBytes(second.contentLength()), StandardCharsets.UTF_8));
            assertTrue(second.headers().containsKey("x-amz-request-id"));
            assertTrue(second.headers().containsKey("x-amz-id-2"));
            assertEquals("bytes", second.headers().get("accept-ranges"));
            assertTrue(second.headers().get("etag").startsWith("\""));
            assertTrue(!first.headers().get("x-amz-request-id").equals(second.headers().get("x-amz-request-id")));
        }
    }

    @Test
    void shouldRouteVirtualHostStyleAndKeepTheConnectionAfterAnError() throws IOException
    {
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("GET /missing HTTP/1.1\r\nHost: wire.localhost:" + fixture.port() + "\r\n\r\n");
            final RawHttp.Head missing = http.readHead();
            assertEquals(404, missing.status());
            final String error = new String(http.readBytes(missing.contentLength()), StandardCharsets.UTF_8);
            assertTrue(error.contains("<Code>NoSuchKey</Code>") && error.contains("<RequestId>"
                + missing.headers().get("x-amz-request-id")),
                error);
            http.send("GET /one HTTP/1.1\r\nHost: wire.localhost:" + fixture.port() + "\r\n\r\n");
            final RawHttp.Head found = http.readHead();
            assertEquals(200, found.status());
            assertEquals("first object", new String(http.readBytes(found.contentLength()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldSendContinueOnlyAfterTheSignaturePasses() throws IOException
    {
        final URL url = fixture.presigner().presignPutObject(PutObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(BUCKET).key("continued"))
            .build()).url();
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getAuthority()
                + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, http.readHead().status());
            http.send("hello");
            assertEquals(200, http.readHead().status());
        }
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("PUT /wire/unsigned HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            final RawHttp.Head refused = http.readHead();
            assertEquals(403, refused.status());
            assertTrue(new String(http.readBytes(refused.contentLength()),
                StandardCharsets.UTF_8).contains("<Code>AccessDenied</Code>"));
        }
        assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("continued")).asUtf8String());
    }

    @Test
    void shouldAnswerMalformedRequestsWith400AndClose() throws IOException
    {
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("THIS IS NOT HTTP\r\n\r\n");
            final RawHttp.Head head = http.readHead();
            assertEquals(400, head.status());
            http.readBytes(head.contentLength());
            assertTrue(http.closedByServer());
        }
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("GET /wire/one HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n");
            final RawHttp.Head head = http.readHead();
            assertEquals(400, head.status());
            assertTrue(new String(http.readBytes(head.contentLength()), StandardCharsets.UTF_8)
                .contains("<Code>RequestHeaderSectionTooLarge</Code>"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void shouldTimeOutARequestWhoseBodyStops() throws IOException
    {
        final URL url = fixture.presigner().presignPutObject(PutObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(BUCKET).key("stalled"))
            .build()).url();
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getAuthority()
                + "\r\nContent-Length: 100\r\n\r\n0123456789");
            final RawHttp.Head head = http.readHead();
            assertEquals(400, head.status());
            assertTrue(new String(http.readBytes(head.contentLength()),
                StandardCharsets.UTF_8).contains("<Code>RequestTimeout</Code>"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void shouldAnswerASmallPutWhoseBodyArrivesInPieces() throws IOException
    {
        // A small body is queued whole before the request's thread starts; pieces must still add up.
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send(presignedPutHead("pieces", 10) + "01234");
            http.send("56789");
            final RawHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            http.readBytes(head.contentLength());
        }
        assertEquals("0123456789", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("pieces")).asUtf8String());
    }

    @Test
    void shouldEndASmallPutWhoseClientDisconnectsBeforeTheBodyEnds() throws Exception
    {
        try (RawHttp http = new RawHttp(fixture.port()))
        {
            http.send(presignedPutHead("cut", 100) + "0123456789");
        }
        // The request whose thread had not started yet still ends (in-flight back to 0) and stores nothing.
        assertTrue(HttpTestServer.await(() -> fixture.server.metrics().inFlightRequests() == 0,
            Duration.ofSeconds(10)), "in flight " + fixture.server.metrics().inFlightRequests());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key("cut")));
    }

    @Test
    void shouldAnswerARequestWhoseClientHalfClosesThenClose() throws IOException
    {
        // Reading stays on while a request is answered, so the half-close arrives before the answer is written.
        try (Socket socket = RawHttp.connect(fixture.port()))
        {
            RawHttp.send(socket, (presignedPutHead("halfclose", 5) + "hello").getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            final InputStream in = socket.getInputStream();
            assertEquals(200, RawHttp.read(in, false).status());
            assertEquals(-1, in.read());
        }
        assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("halfclose")).asUtf8String());
    }

    /** @return the head of a presigned PUT of {@code key} declaring {@code contentLength} body bytes. */
    private static String presignedPutHead(final String key, final int contentLength)
    {
        final URL url = fixture.presigner().presignPutObject(PutObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(BUCKET).key(key))
            .build()).url();
        return "PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nContent-Length: "
            + contentLength + "\r\n\r\n";
    }

    @Test
    void shouldServeMetricsAndHealthWithoutAuthentication() throws Exception
    {
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("one"));
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(fixture.endpoint()
            + "/_conduit/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok\n", health.body());

        final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(fixture.endpoint()
            + "/_conduit/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        final Map<String, Double> samples = PrometheusParser.parse(metrics.body());
        assertTrue(samples.getOrDefault("conduit_s3_requests_total{operation=\"GetObject\",status=\"200\"}",
            0.0) >= 1.0, metrics.body());
        assertTrue(samples.getOrDefault("conduit_s3_requests_total{operation=\"PutObject\",status=\"200\"}",
            0.0) >= 2.0, metrics.body());
        assertTrue(samples.get("conduit_s3_request_duration_seconds_count{operation=\"GetObject\"}") >= 1.0);
        assertEquals(samples.get("conduit_s3_request_duration_seconds_count{operation=\"GetObject\"}"),
            samples.get("conduit_s3_request_duration_seconds_bucket{operation=\"GetObject\",le=\"+Inf\"}"));
        assertTrue(samples.containsKey("conduit_s3_requests_in_flight"));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("conduit_scheduler_pending_requests{")),
            metrics.body());
    }

    @Test
    void shouldCloseConnectionsBeyondTheLimit() throws Exception
    {
        try (HttpTestServer limited = HttpTestServer.start(o -> o.withMaxConnections(3)))
        {
            final RawHttp[] open = new RawHttp[3];
            try
            {
                for (int i = 0; i < open.length; i++)
                {
                    open[i] = new RawHttp(limited.port());
                }
                assertTrue(HttpTestServer.await(() -> limited.server.metrics().scrape(0,
                    0).contains("\nconduit_s3_connections 3\n"),
                    Duration.ofSeconds(5)));
                try (RawHttp extra = new RawHttp(limited.port()))
                {
                    assertTrue(extra.closedByServer());
                }
                open[0].send("GET /_conduit/health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, open[0].readHead().status());
            }
            finally
            {
                for (final RawHttp http : open)
                {
                    if (http != null)
                    {
                        http.close();
                    }
                }
            }
        }
    }

    /** Parses the sample lines of a Prometheus text scrape (format 0.0.4), checking every line's shape. */
    static final class PrometheusParser
    {
        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$");
        private static final Pattern META = Pattern.compile("^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$");

        static Map<String, Double> parse(final String text)
        {
            final Map<String, Double> samples = new java.util.LinkedHashMap<>();
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("#"))
                {
                    assertTrue(META.matcher(line).matches(), line);
                    continue;
                }
                final Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), line);
                samples.put(m.group(1), Double.parseDouble(m.group(3)));
            }
            return samples;
        }
    }
}
