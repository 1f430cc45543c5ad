package dev.conduit.objecttier.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signs requests with the AWS SDK v2's own SigV4 signer, as an S3 client would, and turns them into
 * Netty requests: the independent party the verifier is tested against.
 */
public final class SdkSigning
{
    /** The access key the tests sign with. */
    public static final String ACCESS_KEY = "AKIDCONDUITTEST0001";
    /** Its secret, with the characters that trip naive encoders. */
    public static final String SECRET = "wJalr/XUtn+FEMI=K7MDENG~bPxRfiCY";
    /** The region the tests serve. */
    public static final String REGION = "us-east-1";
    /** The instant the tests sign at. */
    public static final Instant NOW = Instant.parse("2026-03-14T15:09:26Z");

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private SdkSigning()
    {
    }

    /** @return a verifier that trusts {@link #ACCESS_KEY} and whose clock reads {@code now}. */
    public static SigV4Verifier verifier(final Instant now)
    {
        return new SigV4Verifier(List.of(new Credentials(ACCESS_KEY, SECRET), new Credentials("AKIDOTHER", "other")),
            REGION, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(15));
    }

    /**
     * @param method HTTP method.
     * @param key    the object key, unencoded; the path becomes {@code /bucket/<key encoded as the S3 SDK does>}.
     * @param query  raw (unencoded) query parameters.
     * @return an unsigned request for host {@code localhost:9000}.
     */
    public static SdkHttpRequest.Builder request(
        final SdkHttpMethod method, final String key, final Map<String, List<String>> query)
    {
        final SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
            .method(method)
            .protocol("http")
            .host("localhost")
            .port(9000)
            .encodedPath("/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
        query.forEach(builder::putRawQueryParameter);
        return builder;
    }

    /**
     * Signs as the S3 client does (no double encoding, no path normalisation).
     *
     * @param request    the request.
     * @param body       the payload, or null for none.
     * @param signedAt   the signing time.
     * @param properties extra signer properties (payload signing, chunking, query auth ...).
     * @return the signed request and its (possibly aws-chunked) body.
     */
    public static Signed sign(
        final SdkHttpRequest request,
        final byte[] body,
        final Instant signedAt,
        final Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties)
    {
        final SignedRequest signed = SIGNER.sign(r ->
        {
            r.identity(AwsBasicCredentials.create(ACCESS_KEY, SECRET))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC));
            if (body != null)
            {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            properties.accept(r);
        });
        final byte[] wire = signed.payload().map(SdkSigning::readAll).orElse(new byte[0]);
        return new Signed(toNetty(signed.request(), wire), wire);
    }

    /** Signs a header-auth request with a hex payload hash (PAYLOAD_SIGNING_ENABLED). */
    public static Signed signHeader(final SdkHttpRequest request, final byte[] body, final Instant signedAt)
    {
        return sign(request, body, signedAt, r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    }

    /** Presigns for {@code expires}. */
    public static Signed presign(final SdkHttpRequest request, final Instant signedAt, final Duration expires)
    {
        return sign(request, null, signedAt, r -> r
            .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires)
            .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    /** @return the signed request as the Netty HTTP decoder would present it (its body included). */
    public static FullHttpRequest toNetty(final SdkHttpRequest request, final byte[] body)
    {
        final String uri = request.encodedPath() + request.encodedQueryParameters().map(q -> "?" + q).orElse("");
        final FullHttpRequest netty = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
            HttpMethod.valueOf(request.method().name()), uri, Unpooled.wrappedBuffer(body));
        request.forEachHeader((name, values) -> values.forEach(v -> netty.headers().add(name, v)));
        if (!netty.headers().contains("Host"))
        {
            netty.headers().set("Host", request.host() + ":" + request.port());
        }
        return netty;
    }

    private static byte[] readAll(final ContentStreamProvider provider)
    {
        try (InputStream in = provider.newStream())
        {
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A request as signed by the SDK.
     *
     * @param request the Netty request (headers and URI as sent; its content is {@code body}).
     * @param body    the bytes on the wire.
     */
    public record Signed(FullHttpRequest request, byte[] body)
    {
    }
}
