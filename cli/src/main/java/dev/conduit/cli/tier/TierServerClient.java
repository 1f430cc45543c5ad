package dev.conduit.cli.tier;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.tier.TierAdmin;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * {@code conduit tier} against a running server: SigV4-signed requests (the AWS SDK's signer, the
 * body's SHA-256 signed) to its {@code /_conduit/tier} endpoint ({@link TierAdmin} says what travels).
 */
final class TierServerClient
{
    /** Headers java.net.http sets itself (they are sent with the values that were signed). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

    private final URI server;
    private final AwsCredentialsIdentity identity;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TierServerClient(final URI server, final Credentials credentials, final String region)
    {
        this.server = server;
        this.identity = AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretKey());
        this.region = region;
    }

    /**
     * @param what  {@code ""} or an operation with its query (values already URL-encoded).
     * @param body  the request body, or null for a GET.
     * @return the answer's text.
     * @throws ConduitException {@code NOT_FOUND} for a 404, else {@code IO_ERROR} with the server's message.
     * @throws InterruptedException when interrupted.
     */
    String call(final String what, final String body) throws InterruptedException
    {
        final URI uri = TierAdmin.uri(server, what);
        final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        final SdkHttpRequest unsigned = SdkHttpRequest.builder().method(body == null ? SdkHttpMethod.GET : SdkHttpMethod.POST)
            .uri(uri).build();
        final SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
            .payload(ContentStreamProvider.fromByteArray(bytes))
            .identity(identity)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(24))
            .method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (final Map.Entry<String, List<String>> header : signed.request().headers().entrySet())
        {
            if (!SET_BY_CLIENT.contains(header.getKey().toLowerCase(Locale.ROOT)))
            {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        final HttpResponse<String> response;
        try
        {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot reach the server at " + server + ": " + e.getMessage(), e);
        }
        if (response.statusCode() != 200)
        {
            throw new ConduitException(response.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.IO_ERROR,
                "the server at " + server + " answered " + response.statusCode() + ": " + message(response.body()));
        }
        return response.body();
    }

    /**
     * @param value a query parameter's value.
     * @return it percent-encoded as SigV4 encodes it (RFC 3986 unreserved characters kept, space as %20).
     */
    static String encode(final String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** @return the S3 error's Message element, or the whole body. */
    private static String message(final String body)
    {
        final int start = body.indexOf("<Message>");
        final int end = body.indexOf("</Message>");
        return start >= 0 && end > start ? body.substring(start + "<Message>".length(), end) : body.strip();
    }
}
