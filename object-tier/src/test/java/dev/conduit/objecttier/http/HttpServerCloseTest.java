package dev.conduit.objecttier.http;

import java.io.IOException;
import java.net.ConnectException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Server;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown: close() stops accepting at once, lets a request in flight finish within the drain
 * timeout, and past it closes the connection anyway; either way every GET buffer comes back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpServerCloseTest
{
    private static final long SIZE = 16L << 20;

    private static HttpTestServer startWithObject(final Duration drainTimeout) throws IOException
    {
        final HttpTestServer fixture = HttpTestServer.start(o -> o.withReadBuffers(1 << 20,
            4).withDrainTimeout(drainTimeout));
        final S3Client s3 = fixture.client();
        s3.createBucket(b -> b.bucket("closing"));
        s3.putBucketAcl(b -> b.bucket("closing").acl("public-read"));
        s3.putObject(b -> b.bucket("closing").key("o"), RequestBody.fromContentProvider(() -> GeneratedBytes.stream(4,
            SIZE), SIZE, "x/y"));
        return fixture;
    }

    @Test
    void shouldRefuseATakenPortWithAddressInUseAndReleaseItsThreads() throws Exception
    {
        try (HttpTestServer fixture = HttpTestServer.start())
        {
            final int threadsBefore = Thread.activeCount();
            for (int attempt = 0; attempt < 5; attempt++)
            {
                final ConduitException failure = assertThrows(ConduitException.class,
                    () -> S3Server.start(S3ServerOptions.defaults(List.of(HttpTestServer.KEYS)).withPort(fixture.port()), fixture.buckets));
                assertEquals(ErrorCode.ADDRESS_IN_USE, failure.code(), failure.getMessage());
                assertTrue(failure.getMessage().contains(String.valueOf(fixture.port())), failure.getMessage());
            }
            // Five failed starts must not leave five sets of event-loop threads behind.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Thread.activeCount() > threadsBefore + 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertTrue(Thread.activeCount() <= threadsBefore + 2,
                "threads before " + threadsBefore + ", after five failed binds " + Thread.activeCount());
            assertEquals(200, fixture.client().listBuckets().sdkHttpResponse().statusCode());
        }
    }

    @Test
    void shouldFinishARequestInFlightBeforeClosing() throws Exception
    {
        try (HttpTestServer fixture = startWithObject(Duration.ofSeconds(30));
             RawHttp http = new RawHttp(fixture.port(), 64 << 10))
        {
            http.send("GET /closing/o HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(SIZE, http.readHead().contentLength());
            final Thread closer = Thread.ofPlatform().start(fixture.server::close);
            Thread.sleep(300);
            assertTrue(closer.isAlive(), "close() must wait for the GET in flight");
            assertThrows(ConnectException.class, () -> new RawHttp(fixture.port()).close());

            final MessageDigest digest = GeneratedBytes.newSha256();
            digest.update(http.readBytes(SIZE));
            assertArrayEquals(GeneratedBytes.sha256(4, SIZE), digest.digest());
            closer.join(10_000);
            assertTrue(!closer.isAlive(), "close() should return once the request is done");
            assertEquals(4, fixture.server.readBuffers().freeCount());
        }
    }

    @Test
    void shouldCloseAConnectionThatOutlivesTheDrainTimeout() throws Exception
    {
        try (HttpTestServer fixture = startWithObject(Duration.ofMillis(300));
             RawHttp http = new RawHttp(fixture.port(), 64 << 10))
        {
            http.send("GET /closing/o HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(SIZE, http.readHead().contentLength());
            final long startNs = System.nanoTime();
            fixture.server.close();
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(10));
            long received = 0;
            try
            {
                final byte[] chunk = new byte[1 << 16];
                int n;
                while ((n = http.in().read(chunk)) > 0)
                {
                    received += n;
                }
            }
            catch (final IOException reset)
            {
                // Closed under the client's feet: a reset is fine.
            }
            assertTrue(received < SIZE, "the body should have been cut: " + received);
            assertTrue(HttpTestServer.await(() -> fixture.server.readBuffers().freeCount() == 4,
                Duration.ofSeconds(5)));
        }
    }
}
