package dev.conduit.objecttier.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.objecttier.S3Server;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One real Conduit S3 endpoint per test class: formats a store in a fresh directory under
 * {@code target/} (not /tmp, which may be tmpfs and refuse O_DIRECT), opens it through the
 * scheduler, serves it on 127.0.0.1 with an ephemeral port, and builds AWS SDK v2 clients for it
 * (Apache HTTP client, path-style, us-east-1, the SDK's default checksum behaviour). The SDK
 * clients never retry, so a server error shows up as the failure it is rather than being retried away.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3ServerFixture S3 = new S3ServerFixture();
 * ...
 * final String bucket = S3.newBucket();
 * S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
 * }</pre>
 *
 * <p>Teardown closes in reverse order of opening: clients, server, bucket layer, store; then the
 * directory is destroyed.
 */
public final class S3ServerFixture implements BeforeAllCallback, AfterAllCallback
{
    /** The access key the server accepts. */
    public static final String ACCESS_KEY = "CONDUITITACCESSKEY01";
    /** Its secret. */
    public static final String SECRET_KEY = "conduit/it/secret/key/0123456789abcdefXYZ";
    /** The region everything is signed for. */
    public static final String REGION = "us-east-1";

    private static final long STORE_BYTES = 384L << 20;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final boolean audited;
    private Path dir;
    private ScheduledStore store;
    private BucketStore buckets;
    private AuditLog audit;
    private S3Server server;
    private S3Client client;
    private S3Presigner presigner;

    /** A server without an audit log (so failed requests leave the store exactly as it was). */
    public S3ServerFixture()
    {
        this(false);
    }

    /**
     * @param audited whether the server records mutating requests in the store's audit log.
     */
    public S3ServerFixture(final boolean audited)
    {
        this.audited = audited;
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException
    {
        final Path base = Files.createDirectories(Path.of("target", "s3-it"));
        dir = Files.createTempDirectory(base, context.getRequiredTestClass().getSimpleName());
        DataDirectory.format(dir, STORE_BYTES, 1, FormatOptions.DEFAULT);
        store = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        buckets = new BucketStore(store);
        audit = audited ? AuditLog.open(store.store()) : null;
        server = S3Server.start(S3ServerOptions.defaults(List.of(new Credentials(ACCESS_KEY, SECRET_KEY))).withPort(0),
            buckets, null, audit);
        client = newClient(ACCESS_KEY, SECRET_KEY);
        presigner = S3Presigner.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException
    {
        final AutoCloseable[] inOrder = {presigner, client, server, audit, buckets, store};
        Throwable failure = null;
        for (final AutoCloseable closeable : inOrder)
        {
            try
            {
                if (null != closeable)
                {
                    closeable.close();
                }
            }
            catch (final Throwable t)
            {
                if (null == failure)
                {
                    failure = t;
                }
                else
                {
                    failure.addSuppressed(t);
                }
            }
        }
        if (null != dir && DataDirectory.isFormatted(dir))
        {
            DataDirectory.destroy(dir);
        }
        if (null != failure)
        {
            throw new IOException("teardown failed", failure);
        }
    }

    /**
     * @param accessKey the access key to sign with.
     * @param secretKey the secret to sign with.
     * @return a new client the caller closes; signing with keys the server does not know is how
     *         the authentication failures are provoked.
     */
    // The suites are specified against the Apache 4 client, which SDK 2.57 deprecates for apache5-client.
    @SuppressWarnings("deprecation")
    public S3Client newClient(final String accessKey, final String secretKey)
    {
        return S3Client.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .forcePathStyle(true)
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16).socketTimeout(Duration.ofSeconds(60)))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallTimeout(Duration.ofMinutes(2)))
            .build();
    }

    /** @return the SDK client signing with the server's credentials. */
    public S3Client client()
    {
        return client;
    }

    /** @return a presigner for the server. */
    public S3Presigner presigner()
    {
        return presigner;
    }

    /** @return the bucket layer the server serves. */
    public BucketStore buckets()
    {
        return buckets;
    }

    /** @return the server. */
    public S3Server server()
    {
        return server;
    }

    /** @return {@code http://127.0.0.1:port}. */
    public URI endpoint()
    {
        return URI.create(server.endpoint());
    }

    /** @return the credentials the server accepts, for clients built by a test. */
    public static StaticCredentialsProvider credentials()
    {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** @return the bound port. */
    public int port()
    {
        return server.address().getPort();
    }

    /** @return the store underneath. */
    public ScheduledStore store()
    {
        return store;
    }

    /** @return the audit log, or null when the fixture was made without one. */
    public AuditLog audit()
    {
        return audit;
    }

    /** @return bytes the store has allocated, to check that failed requests leave nothing behind. */
    public long usedBytes()
    {
        return store.store().space().usedBytes();
    }

    /**
     * @param method  HTTP method.
     * @param rawPath the path exactly as it goes on the wire.
     * @return a raw request for this server, to be signed by the caller.
     */
    SignedRequest request(final String method, final String rawPath)
    {
        return new SignedRequest(port(), method, rawPath);
    }

    /**
     * Creates a bucket no other test uses, so tests do not see each other's objects.
     *
     * @return its name.
     */
    public String newBucket()
    {
        final String name = String.format(Locale.ROOT, "it-%03d-%d", BUCKETS.incrementAndGet(),
            ProcessHandle.current().pid());
        client.createBucket(b -> b.bucket(name));
        return name;
    }
}
