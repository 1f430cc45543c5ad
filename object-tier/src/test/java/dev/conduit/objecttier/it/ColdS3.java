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
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
