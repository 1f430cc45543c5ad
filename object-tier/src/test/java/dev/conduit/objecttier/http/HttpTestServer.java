package dev.conduit.objecttier.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.objecttier.S3Server;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real server for the HTTP tests: a freshly formatted store in a temp directory, opened through
 * the scheduler, its buckets served by an {@link S3Server} on 127.0.0.1 and an ephemeral port, and
 * the AWS SDK's client and presigner pointed at it (path style, us-east-1, static keys, default
 * checksum behaviour). Access-log lines are kept for inspection.
 */
final class HttpTestServer implements AutoCloseable
{
    static final Credentials KEYS = new Credentials("AKIACONDUITHTTPTEST", "conduit-http-test-secret-key");
    private static final long STORE_BYTES = 768L << 20;
    private static final LeakCounter LEAKS = LeakCounter.install();

    final Path dir;
    final ScheduledStore store;
    final BucketStore buckets;
    final S3Server server;
    final List<String> accessLog = new CopyOnWriteArrayList<>();
    private S3Client client;
    private S3Presigner presigner;

    private HttpTestServer(final UnaryOperator<S3ServerOptions> tweak) throws IOException
    {
        dir = TargetDirs.create("s3http-");
        DataDirectory.format(dir, STORE_BYTES, 2, FormatOptions.DEFAULT);
        store = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        buckets = new BucketStore(store);
        final S3ServerOptions options = tweak.apply(S3ServerOptions.defaults(List.of(KEYS)).withPort(0));
        server = S3Server.start(options, buckets, accessLog::add);
    }

    static HttpTestServer start() throws IOException
    {
        return new HttpTestServer(UnaryOperator.identity());
    }

    static HttpTestServer start(final UnaryOperator<S3ServerOptions> tweak) throws IOException
    {
        return new HttpTestServer(tweak);
    }

    URI endpoint()
    {
        return URI.create(server.endpoint());
    }

    int port()
    {
        return server.address().getPort();
    }

    S3Client client()
    {
        if (client == null)
        {
            client = clientBuilder().build();
        }
        return client;
    }

    /** @return a builder for a client configured as {@link #client()}'s, for tests that add to it; close what it builds. */
    S3ClientBuilder clientBuilder()
    {
        return S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
            .endpointOverride(endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEYS.accessKeyId(),
                KEYS.secretKey())));
    }

    S3Presigner presigner()
    {
        if (presigner == null)
        {
            presigner = S3Presigner.builder()
                .endpointOverride(endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEYS.accessKeyId(),
                    KEYS.secretKey())))
                .build();
        }
        return presigner;
    }

    /**
     * Polls until the condition holds or the time is up.
     *
     * @return whether it held.
     */
    static boolean await(final BooleanSupplier condition, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() throws IOException
    {
        if (client != null)
        {
            client.close();
        }
        if (presigner != null)
        {
            presigner.close();
        }
        server.close();
        LEAKS.assertNoLeaks();
        buckets.close();
        store.close();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
