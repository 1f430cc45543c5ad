package dev.conduit.cli.serve;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.conduit.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conduit serve} as a user runs it: its own JVM, a real socket on 127.0.0.1, requests
 * signed by the AWS SDK with the key the banner printed, SIGTERM to stop, fsck afterwards.
 */
@Timeout(300)
class ServeCommandTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldServeSignedRequestsStopCleanlyOnSigtermAndKeepItsGeneratedKey() throws Exception
    {
        final Path data = tmp.resolve("var");
        final byte[] body = "hello from the serve test\n".getBytes(StandardCharsets.UTF_8);

        final ServeProcess.Banner first;
        try (ServeProcess serve = ServeProcess.serve(data, Map.of()))
        {
            first = serve.awaitBanner();
            try (S3Client s3 = S3Clients.of(first))
            {
                s3.createBucket(b -> b.bucket("serve-test"));
                s3.putObject(b -> b.bucket("serve-test").key("dir/hello.txt"), RequestBody.fromBytes(body));
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket("serve-test").key("dir/hello.txt")).asByteArray());
            }
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
            assertTrue(serve.output().contains("stopped cleanly"), serve.output());
        }
        assertEquals(20, first.accessKeyId().length(), first.accessKeyId());
        assertEquals(40, first.secretKey().length());
        final Path keyFile = data.resolve(AccessKeys.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertTrue(Files.readString(keyFile).contains(first.secretKey()));

        final ServeProcess fsck = ServeProcess.run(data, Map.of(), "fsck");
        assertEquals(ExitCodes.OK, fsck.exitCode(), fsck.output());

        try (ServeProcess again = ServeProcess.serve(data, Map.of()))
        {
            final ServeProcess.Banner second = again.awaitBanner();
            assertEquals(first.accessKeyId(), second.accessKeyId());
            assertEquals(first.secretKey(), second.secretKey());
            try (S3Client s3 = S3Clients.of(second))
            {
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket("serve-test").key("dir/hello.txt")).asByteArray());
            }
            again.terminate();
            assertEquals(ExitCodes.OK, again.awaitExit(), again.output());
        }
    }

    @Test
    void shouldFinishAnUploadInFlightWhenStoppedBySigterm() throws Exception
    {
        final Path data = tmp.resolve("var");
        final byte[] body = new byte[4 << 20];
        new SplittableRandom(42).nextBytes(body);
        final GatedStream gated = new GatedStream(body, 1 << 20);
        final ExecutorService client = Executors.newSingleThreadExecutor();
        try (ServeProcess serve = ServeProcess.serve(data, Map.of()); S3Client s3 = S3Clients.withoutRetries(serve.awaitBanner()))
        {
            s3.createBucket(b -> b.bucket("drain"));
            final Future<PutObjectResponse> put = client.submit(
                () -> s3.putObject(b -> b.bucket("drain").key("in-flight"), RequestBody.fromInputStream(gated, body.length)));
            assertTrue(gated.reachedGate.await(60, TimeUnit.SECONDS), "the upload did not start");

            serve.terminate();
            awaitOutput(serve, "draining requests in flight");
            gated.open.countDown();

            put.get(60, TimeUnit.SECONDS);
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
        finally
        {
            gated.open.countDown();
            client.shutdownNow();
        }
        try (ServeProcess again = ServeProcess.serve(data, Map.of()); S3Client s3 = S3Clients.of(again.awaitBanner()))
        {
            assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket("drain").key("in-flight")).asByteArray());
            again.terminate();
            assertEquals(ExitCodes.OK, again.awaitExit(), again.output());
        }
    }

    @Test
    void shouldUseTheKeyFromTheEnvironmentWithoutWritingIt() throws Exception
    {
        final Path data = tmp.resolve("var");
        final Map<String, String> env = Map.of("CONDUIT_ACCESS_KEY", "ENVKEY0123456789ABCD", "CONDUIT_SECRET_KEY", "envSecret0123456789");
        try (ServeProcess serve = ServeProcess.serve(data, env))
        {
            final ServeProcess.Banner banner = serve.awaitBanner();
            assertEquals("ENVKEY0123456789ABCD", banner.accessKeyId());
            try (S3Client s3 = S3Clients.of(banner))
            {
                s3.createBucket(b -> b.bucket("env-key"));
            }
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
        assertFalse(Files.exists(data.resolve(AccessKeys.FILE_NAME)), "a given key must not be written");
    }

    @Test
    void shouldExitWithAddressInUseWhenThePortIsTaken() throws Exception
    {
        final Path data = tmp.resolve("var");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final ServeProcess serve = ServeProcess.run(data, Map.of(),
                "serve", "--size", "256m", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(ExitCodes.ADDRESS_IN_USE, serve.exitCode(), serve.output());
            assertTrue(serve.output().contains("port " + taken.getLocalPort() + " is in use"), serve.output());
        }
        final ServeProcess fsck = ServeProcess.run(data, Map.of(), "fsck");
        assertEquals(ExitCodes.OK, fsck.exitCode(), "the store is closed cleanly after the failed bind: " + fsck.output());
    }

    @Test
    void shouldRefuseAnAccessKeyWithoutItsSecret() throws Exception
    {
        final ServeProcess serve = ServeProcess.run(tmp.resolve("var"), Map.of(), "serve", "--access-key", "ONLYTHEKEY");
        assertEquals(ExitCodes.USAGE, serve.exitCode(), serve.output());
        assertTrue(serve.output().contains("given together"), serve.output());
        assertFalse(Files.exists(tmp.resolve("var")), "nothing is created for a refused command line");
    }

    @Test
    void shouldWarnWhenBindingBeyondLoopback() throws Exception
    {
        try (ServeProcess serve = ServeProcess.serve(tmp.resolve("var"), Map.of(), "--bind", "0.0.0.0"))
        {
            final ServeProcess.Banner banner = serve.awaitBanner();
            assertNotEquals(0, banner.endpoint().getPort());
            assertTrue(serve.output().contains("WARNING: listening on 0.0.0.0, not loopback"), serve.output());
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
    }
    private static void awaitOutput(final ServeProcess serve, final String text) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ServeProcess.EXIT_TIMEOUT_MS);
        while (!serve.output().contains(text))
        {
            assertTrue(System.nanoTime() - deadlineNs < 0, "no '" + text + "' in:\n" + serve.output());
            Thread.sleep(10);
        }
    }

    /** A body that stops after {@code gateAt} bytes until {@link #open} is counted down. */
    private static final class GatedStream extends InputStream
    {
        private final CountDownLatch reachedGate = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);
        private final byte[] bytes;
        private final int gateAt;
        private int position;

        GatedStream(final byte[] bytes, final int gateAt)
        {
            this.bytes = bytes;
            this.gateAt = gateAt;
        }

        @Override
        public int read()
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] into, final int offset, final int length)
        {
            if (position >= bytes.length)
            {
                return -1;
            }
            if (position == gateAt)
            {
                reachedGate.countDown();
                try
                {
                    open.await(ServeProcess.EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            final int limit = position < gateAt ? gateAt : bytes.length;
            final int n = Math.min(length, limit - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
