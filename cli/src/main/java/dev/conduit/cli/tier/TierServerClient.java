package dev.conduit.cli.tier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
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
 *
 * <p>One request per call over {@link HttpURLConnection}, on the calling thread: java.net.http's
 * client built an SSL context (the default trust store loaded and parsed) and a selector thread on
 * every start, even for a plain-HTTP server, which cost a one-shot command such as
 * {@code tier --server URL prefetch} about a second of CPU before its only request.
 */
final class TierServerClient
{
    /** Headers HttpURLConnection sets itself (they are sent with the values that were signed). */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length");

    private static final int CONNECT_TIMEOUT_MS = (int) Duration.ofSeconds(10).toMillis();

    /** A prefetch's answer comes when it ends: the read waits as long as java.net.http's request timeout did. */
    private static final int READ_TIMEOUT_MS = (int) Duration.ofHours(24).toMillis();

    private final URI server;
    private final AwsCredentialsIdentity identity;
    private final String region;

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
     */
    String call(final String what, final String body)
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
        final int status;
        final String answer;
        try
        {
            final HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            try
            {
                connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
                connection.setReadTimeout(READ_TIMEOUT_MS);
                connection.setUseCaches(false);
                connection.setRequestMethod(body == null ? "GET" : "POST");
                for (final Map.Entry<String, List<String>> header : signed.request().headers().entrySet())
                {
                    if (!SET_BY_CLIENT.contains(header.getKey().toLowerCase(Locale.ROOT)))
                    {
                        header.getValue().forEach(value -> connection.addRequestProperty(header.getKey(), value));
                    }
                }
                if (body != null)
                {
                    connection.setDoOutput(true);
                    connection.setFixedLengthStreamingMode(bytes.length);
                    try (OutputStream out = connection.getOutputStream())
                    {
                        out.write(bytes);
                    }
                }
                status = connection.getResponseCode();
                answer = read(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            }
            finally
            {
                connection.disconnect();
            }
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot reach the server at " + server + ": " + e.getMessage(), e);
        }
        if (status != 200)
        {
            throw new ConduitException(status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.IO_ERROR,
                "the server at " + server + " answered " + status + ": " + message(answer));
        }
        return answer;
    }

    /** @return the stream's text (UTF-8), or "" for no stream; closes it. */
    private static String read(final InputStream in) throws IOException
    {
        if (in == null)
        {
            return "";
        }
        try (in)
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
