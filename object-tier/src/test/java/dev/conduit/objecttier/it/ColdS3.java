package dev.conduit.objecttier.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import dev.conduit.objecttier.tier.Tiering;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cold tier of the tiering tests: S3Proxy (a third-party S3 server, filesystem backend) as a
 * child process on 127.0.0.1, from the jar the object-tier build copies to {@code target/peers},
 * with a {@link FaultProxy} in front that counts and disturbs what the cold client sends.
 */
final class ColdS3 implements AutoCloseable
{
    static final String ACCESS_KEY = "COLDTIERACCESSKEY001";
    static final String SECRET_KEY = "cold/tier/secret/0123456789abcdefghijklm";

    private static final Path JAR = Path.of("target", "peers", "s3proxy.jar");
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);

    private final Process process;
    private final URI endpoint;
    private final FaultProxy proxy;
    private final S3Client direct;

    private ColdS3(final Process process, final URI endpoint) throws IOException
    {
        this.process = process;
        this.endpoint = endpoint;
        this.proxy = new FaultProxy(endpoint);
        this.direct = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(1)))
            .build();
    }

    /**
     * Starts a cold tier in a new directory under {@code target/s3-it} and hands its key pair to
     * the cold clients the tests' bindings make, through the standard AWS chain (system properties
     * are its second link), as production takes them from the environment.
     *
     * @param name the directory's prefix.
     */
    static ColdS3 startForTiering(final String name) throws IOException, InterruptedException
    {
        final ColdS3 cold = start(Files.createTempDirectory(Files.createDirectories(Path.of("target", "s3-it")), name));
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return cold;
    }

    /**
     * After a test: heals the fault proxy, unbinds the server's tiering and closes it.
     *
     * @param server   the server the test bound.
     * @param tiering  the test's tiering, or null.
     */
    void unbind(final S3ServerFixture server, final Tiering tiering)
    {
        proxy.heal();
        server.server().tiering(null);
        if (tiering != null)
        {
            tiering.close();
        }
    }

    /**
     * Waits, a minute at most, until the write-back backlog (uploads and cold deletes) is empty; they
     * run on the uploaders' own threads, so the backlog gauge is what there is to watch.
     */
    static void awaitBacklogEmpty(final Tiering tiering) throws InterruptedException
    {
        for (int i = 0; i < 1200 && tiering.backlogObjects() > 0; i++)
        {
            Thread.sleep(50);
        }
        assertEquals(0, tiering.backlogObjects(), "write-back backlog drained");
    }

    /**
     * Uploads two parts through {@code client} (straight to the cold server, or to Conduit) and
     * completes the upload.
     *
     * @return the multipart ETag the server gave it, quoted.
     */
    static String completeTwoParts(final S3Client client, final String bucket, final String key, final byte[] part1, final byte[] part2)
    {
        final String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        final String etag1 = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
            RequestBody.fromBytes(part1)).eTag();
        final String etag2 = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(2),
            RequestBody.fromBytes(part2)).eTag();
        return client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                CompletedPart.builder().partNumber(2).eTag(etag2).build()))).eTag();
    }

    static ColdS3 start(final Path dir) throws IOException, InterruptedException
    {
        if (!Files.isRegularFile(JAR))
        {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the object-tier build copies it (generate-test-resources)");
        }
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final URI endpoint = URI.create("http://127.0.0.1:" + port);
        final Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint.toString());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SECRET_KEY);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir.resolve("data")).toAbsolutePath().toString());
        final Path file = dir.resolve("s3proxy.properties");
        try (OutputStream out = Files.newOutputStream(file))
        {
            properties.store(out, "cold tier of the tiering tests");
        }
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString(), "--properties", file.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        while (true)
        {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                break;
            }
            catch (final IOException notYet)
            {
                if (!process.isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    process.destroyForcibly();
                    throw new IOException("S3Proxy did not start; see " + dir.resolve("s3proxy.log"), notYet);
                }
                Thread.sleep(100); // polling a child process's port: there is nothing to wait on
            }
        }
        return new ColdS3(process, endpoint);
    }

    /** @return the proxy's endpoint: what bindings point at. */
    URI endpoint()
    {
        return proxy.endpoint();
    }

    FaultProxy proxy()
    {
        return proxy;
    }

    /** @return a client straight to S3Proxy (seeding and checking the cold tier). */
    S3Client direct()
    {
        return direct;
    }

    URI directEndpoint()
    {
        return endpoint;
    }

    @Override
    public void close() throws Exception
    {
        direct.close();
        proxy.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
