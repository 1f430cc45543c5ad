package dev.conduit.cli.serve;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.conduit.bench.s3.S3ProxyPeer;
import dev.conduit.cli.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code conduit serve} with a cold tier (S3Proxy, filesystem backend, on loopback): write-back
 * across kill -9 (every acknowledged object reaches the cold tier byte for byte with its metadata
 * once the server is back), and {@code conduit tier prefetch} of a tree of mixed sizes.
 * Credentials reach the cold client the standard way: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}.
 */
@Timeout(600)
class ServeTierTest
{
    private static final String COLD_ID = "cold-id";
    private static final String COLD_SECRET = "cold-secret";
    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", COLD_ID, "AWS_SECRET_ACCESS_KEY", COLD_SECRET,
        "AWS_EC2_METADATA_DISABLED", "true");
    private static final int[] SIZES = {0, 1, 4095, 65_537, 1 << 20, 9 << 20};

    @TempDir
    Path tmp;

    private S3ProxyPeer peer;
    private S3Client cold;
    private Path data;

    @BeforeEach
    void startColdAndFormat() throws Exception
    {
        peer = S3ProxyPeer.start(S3ProxyPeer.locateJar(), tmp.resolve("cold"), 0, COLD_ID, COLD_SECRET);
        cold = coldClient(peer);
        data = tmp.resolve("var");
        assertEquals(ExitCodes.OK, ServeProcess.run(data, ENV, "format", "--size", "512m").exitCode());
    }

    @AfterEach
    void stopCold() throws Exception
    {
        cold.close();
        peer.close();
    }

    @Test
    void shouldUploadEveryAcknowledgedObjectAfterKillNine() throws Exception
    {
        cold.createBucket(b -> b.bucket("cold"));
        // Bound to a port nobody listens on: every upload fails and stays journaled until the kill.
        attach(data, "ckpt", "s3://cold/run1", "http://127.0.0.1:" + deadPort(), "write-back");
        final Map<String, byte[]> acknowledged = new LinkedHashMap<>();
        try (ServeProcess serve = ServeProcess.serve(data, ENV))
        {
            try (S3Client s3 = S3Clients.withoutRetries(serve.awaitBanner()))
            {
                for (int i = 0; i < 8; i++)
                {
                    final String key = "step-" + i + "/model.pt";
                    final byte[] bytes = bytes(SIZES[i % SIZES.length], i);
                    s3.putObject(b -> b.bucket("ckpt").key(key).contentType("application/x-ckpt").metadata(Map.of("step", key)),
                        RequestBody.fromBytes(bytes));
                    acknowledged.put(key, bytes);
                }
                final String state = s3.headObject(b -> b.bucket("ckpt").key("step-0/model.pt")).sdkHttpResponse()
                    .firstMatchingHeader("x-conduit-tier").orElseThrow();
                assertEquals("uploading", state);
            }
            serve.kill9();
        }
        assertTrue(cold.listObjectsV2(b -> b.bucket("cold")).contents().isEmpty(), "nothing reached the cold tier before the kill");
        attach(data, "ckpt", "s3://cold/run1", peer.endpoint().toString(), "write-back");
        try (ServeProcess serve = ServeProcess.serve(data, ENV))
        {
            serve.awaitBanner();
            for (final Map.Entry<String, byte[]> e : acknowledged.entrySet())
            {
                final ResponseBytes<GetObjectResponse> got = awaitCold(cold, "run1/" + e.getKey());
                assertArrayEquals(e.getValue(), got.asByteArray(), e.getKey());
                assertEquals("application/x-ckpt", got.response().contentType(), e.getKey());
                assertEquals(e.getKey(), got.response().metadata().get("step"), e.getKey());
            }
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
        final ServeProcess stat = ServeProcess.run(data, ENV, "stat", "o/ckpt/step-0/model.pt");
        assertTrue(stat.output().contains("tier:         synced"), stat.output());
    }

    @Test
    void shouldPrefetchATreeOfMixedSizesByteForByte() throws Exception
    {
        cold.createBucket(b -> b.bucket("lake"));
        final Map<String, byte[]> tree = new LinkedHashMap<>();
        for (int i = 0; i < 14; i++)
        {
            final String key = "train/" + (char)('a' + i % 3) + "/shard-" + i + ".tar";
            tree.put(key, bytes(SIZES[i % SIZES.length], 100 + i));
            cold.putObject(b -> b.bucket("lake").key("datasets/" + key), RequestBody.fromBytes(tree.get(key)));
        }
        cold.putObject(b -> b.bucket("lake").key("datasets/eval/outside"), RequestBody.fromBytes(bytes(10, 1)));
        attach(data, "dset", "s3://lake/datasets", peer.endpoint().toString(), "read-through");

        final ServeProcess prefetch = ServeProcess.run(data, ENV, "tier", "prefetch", "s3://dset/train/", "--parallel", "4",
            "--progress");
        assertEquals(ExitCodes.OK, prefetch.exitCode(), prefetch.output());
        assertTrue(prefetch.output().contains("prefetched 14 objects"), prefetch.output());
        assertTrue(prefetch.output().contains("GiB/s"), prefetch.output());
        final ServeProcess again = ServeProcess.run(data, ENV, "tier", "prefetch", "s3://dset/train/", "--timeline");
        assertTrue(again.output().contains("prefetched 0 objects") && again.output().contains("14 already local"), again.output());
        for (final String phase : List.of("Main initialised", "command runs", "store open", "tiering open", "first object landed",
            "last object landed", "store closed", "summary printed"))
        {
            assertTrue(again.output().matches("(?s).*timeline +[0-9]+\\.[0-9]{3} s \\(\\+[0-9]+\\.[0-9]{3} s\\) " + phase + ".*"),
                "--timeline marks " + phase + ":\n" + again.output());
        }

        try (ServeProcess serve = ServeProcess.serve(data, ENV))
        {
            try (S3Client s3 = S3Clients.of(serve.awaitBanner()))
            {
                for (final Map.Entry<String, byte[]> e : tree.entrySet())
                {
                    final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("dset").key(e.getKey()));
                    assertArrayEquals(e.getValue(), got.asByteArray(), e.getKey());
                    assertEquals("synced", got.response().sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
                }
                assertEquals("cold-only", s3.headObject(b -> b.bucket("dset").key("eval/outside")).sdkHttpResponse()
                    .firstMatchingHeader("x-conduit-tier").orElseThrow());
            }
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
    }

    @Test
    void shouldAttachListPrefetchAndDetachThroughARunningServer() throws Exception
    {
        cold.createBucket(b -> b.bucket("cold"));
        final Map<String, byte[]> tree = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++)
        {
            final String key = "train/part-" + i + ".bin";
            tree.put(key, bytes(SIZES[(i + 2) % SIZES.length], 200 + i));
            cold.putObject(b -> b.bucket("cold").key("live/" + key), RequestBody.fromBytes(tree.get(key)));
        }
        try (ServeProcess serve = ServeProcess.serve(data, ENV))
        {
            final ServeProcess.Banner banner = serve.awaitBanner();
            final String server = banner.endpoint().toString();
            final ServeProcess attach = ServeProcess.run(data, ENV, "tier", "--server", server, "attach", "live", "s3://cold/live",
                "--endpoint", peer.endpoint().toString(), "--policy", "both", "--pin", "train/keep/");
            assertEquals(ExitCodes.OK, attach.exitCode(), attach.output());
            assertTrue(attach.output().contains("attached live"), attach.output());
            final ServeProcess list = ServeProcess.run(data, ENV, "tier", "--server", server, "ls");
            assertTrue(list.output().contains("live\ts3://cold/live/\t" + peer.endpoint()) && list.output().contains("pinned train/keep/"),
                list.output());

            final ServeProcess prefetch = ServeProcess.run(data, ENV, "tier", "--server", server, "prefetch", "s3://live/train/",
                "--progress");
            assertEquals(ExitCodes.OK, prefetch.exitCode(), prefetch.output());
            assertTrue(prefetch.output().contains("prefetched 5 objects"), prefetch.output());
            assertTrue(prefetch.output().contains("prefetch [" + "=".repeat(30) + "] 100%"), "a progress bar, drawn to its end: "
                + prefetch.output());
            try (S3Client s3 = S3Clients.of(banner))
            {
                for (final Map.Entry<String, byte[]> e : tree.entrySet())
                {
                    final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("live").key(e.getKey()));
                    assertArrayEquals(e.getValue(), got.asByteArray(), e.getKey());
                    assertEquals("synced", got.response().sdkHttpResponse().firstMatchingHeader("x-conduit-tier").orElseThrow());
                }
                final byte[] checkpoint = bytes(70_000, 300);
                s3.putObject(b -> b.bucket("live").key("ckpt/1"), RequestBody.fromBytes(checkpoint));
                assertArrayEquals(checkpoint, awaitCold(cold, "live/ckpt/1").asByteArray(), "the binding made live writes back at once");
            }

            final Map<String, String> wrongKey = new HashMap<>(ENV);
            wrongKey.put("CONDUIT_ACCESS_KEY", "CDKIWRONGWRONGWRONG1");
            wrongKey.put("CONDUIT_SECRET_KEY", "wrong");
            final ServeProcess refused = ServeProcess.run(data, wrongKey, "tier", "--server", server, "detach", "live");
            assertTrue(refused.exitCode() != ExitCodes.OK && refused.output().contains("403"), refused.output());

            final ServeProcess detach = ServeProcess.run(data, ENV, "tier", "--server", server, "detach", "live");
            assertEquals(ExitCodes.OK, detach.exitCode(), detach.output());
            assertTrue(detach.output().contains("detached live"), detach.output());
            assertEquals(ExitCodes.NOT_FOUND, ServeProcess.run(data, ENV, "tier", "--server", server, "detach", "live").exitCode());
            final ServeProcess after = ServeProcess.run(data, ENV, "tier", "--server", server, "ls");
            assertEquals(ExitCodes.OK, after.exitCode(), after.output());
            assertFalse(after.output().contains("live\t"), after.output());
            serve.terminate();
            assertEquals(ExitCodes.OK, serve.awaitExit(), serve.output());
        }
    }

    private static void attach(final Path data, final String bucket, final String cold, final String endpoint, final String policy)
        throws Exception
    {
        final ServeProcess attach = ServeProcess.run(data, ENV, "tier", "attach", bucket, cold, "--endpoint", endpoint, "--policy", policy);
        assertEquals(ExitCodes.OK, attach.exitCode(), attach.output());
        assertTrue(attach.output().contains("attached " + bucket), attach.output());
    }

    private static ResponseBytes<GetObjectResponse> awaitCold(final S3Client cold, final String key) throws InterruptedException
    {
        for (int i = 0; i < 600; i++)
        {
            try
            {
                return cold.getObjectAsBytes(b -> b.bucket("cold").key(key));
            }
            catch (final NoSuchKeyException notYet)
            {
                Thread.sleep(100); // the uploads run inside the server process; the cold tier is what there is to watch
            }
        }
        return cold.getObjectAsBytes(b -> b.bucket("cold").key(key));
    }

    private static S3Client coldClient(final S3ProxyPeer peer)
    {
        return S3Client.builder().endpointOverride(peer.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(COLD_ID, COLD_SECRET))).build();
    }

    private static int deadPort() throws Exception
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }

    private static byte[] bytes(final int length, final long seed)
    {
        final byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
