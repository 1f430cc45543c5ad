package dev.conduit.bench.s3;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 headers for the generator's requests, made by the AWS SDK's {@link AwsV4HttpSigner} with an
 * unsigned payload ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}), so a PUT's body is never hashed.
 *
 * <p>A signature stays valid for S3's 15-minute clock-skew window and servers keep no replay state,
 * so each (request, object) pair is signed once and reused for {@link #REUSE_NS}: the server still
 * verifies every request, while the generator spends its CPU on I/O, not on HMACs. Sets of more than
 * {@link #MAX_CACHED} signatures are signed per request instead.
 *
 * <p>Threading: any thread; the cache's entries are immutable, and two threads signing the same pair
 * at once merely both sign it.
 */
final class S3Signer
{
    /** How long a signature is reused. */
    static final long REUSE_NS = TimeUnit.SECONDS.toNanos(60);
    /** Most signatures cached. */
    static final int MAX_CACHED = 1 << 20;

    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final S3Target target;
    private final AwsCredentialsIdentity identity;
    private final String region;
    private final int objects;
    private final AtomicReferenceArray<Signed> cache;

    /**
     * Request headers, signed at {@code signedAtNs}.
     *
     * @param path       the request's path, as signed.
     * @param names      header names.
     * @param values     their values, index for index.
     * @param signedAtNs {@link System#nanoTime()} when signed.
     */
    record Signed(String path, String[] names, String[] values, long signedAtNs)
    {
    }

    S3Signer(final S3Target target, final S3Credentials credentials, final int objects)
    {
        this.target = target;
        this.identity = AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey());
        this.region = credentials.region();
        this.objects = objects;
        final long slots = (long)S3Op.values().length * objects;
        this.cache = slots <= MAX_CACHED ? new AtomicReferenceArray<>((int)slots) : null;
    }

    /**
     * @param op    the request.
     * @param index the object (ignored for {@link S3Op#CREATE_BUCKET}).
     * @param nowNs {@link System#nanoTime()}.
     * @return its headers: Host, X-Amz-Date, x-amz-content-sha256 and Authorization.
     */
    Signed headers(final S3Op op, final int index, final long nowNs)
    {
        final AtomicReferenceArray<Signed> cache = this.cache;
        final int slot = op.ordinal() * objects + index;
        if (cache != null)
        {
            final Signed cached = cache.get(slot);
            if (cached != null && nowNs - cached.signedAtNs() < REUSE_NS)
            {
                return cached;
            }
        }
        final Signed signed = sign(op, op == S3Op.CREATE_BUCKET ? target.bucketPath() : target.path(index), nowNs);
        if (cache != null)
        {
            cache.set(slot, signed);
        }
        return signed;
    }

    private Signed sign(final S3Op op, final String path, final long nowNs)
    {
        // Signed as https: over plain http the SDK insists on hashing the payload, and the scheme is not part of
        // what SigV4 signs (the Host header it adds, with the port, is; it is sent exactly as signed).
        final SdkHttpRequest request = SdkHttpRequest.builder()
            .method(op.method())
            .uri(URI.create("https://" + target.endpoint().getHost() + ":" + target.port() + path))
            .build();
        final SdkHttpRequest signed = signer.sign(r -> signAsS3(r, request)).request();
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        for (final Map.Entry<String, List<String>> header : signed.headers().entrySet())
        {
            for (final String value : header.getValue())
            {
                names.add(header.getKey());
                values.add(value);
            }
        }
        if (!values.contains(UNSIGNED_PAYLOAD))
        {
            throw new IllegalStateException("the SDK signed the payload: " + names);
        }
        return new Signed(path, names.toArray(String[]::new), values.toArray(String[]::new), nowNs);
    }

    /**
     * @param index  the object.
     * @param expiry how long the URL stays valid.
     * @return a presigned GET URL for it (the query string carries the signature).
     */
    String presignedGet(final int index, final Duration expiry)
    {
        final SdkHttpRequest request = SdkHttpRequest.builder()
            .method(S3Op.GET.method())
            .uri(URI.create(target.endpoint() + target.path(index)))
            .build();
        return signer.sign(r -> signAsS3(r, request)
            .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
            .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.systemUTC()))
            .request()
            .getUri()
            .toString();
    }

    /**
     * The settings every request here is signed with: S3 in our region, an unsigned payload, and the
     * path exactly as sent (S3 neither double-encodes nor normalizes it).
     */
    private SignRequest.Builder<AwsCredentialsIdentity> signAsS3(
        final SignRequest.Builder<AwsCredentialsIdentity> r, final SdkHttpRequest request)
    {
        return r
            .identity(identity)
            .request(request)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false);
    }
}
