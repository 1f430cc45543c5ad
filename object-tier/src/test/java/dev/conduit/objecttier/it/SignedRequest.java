package dev.conduit.objecttier.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A raw HTTP/1.1 request signed with AWS Signature Version 4, written here from the published
 * algorithm so that the bad-input tests control every byte: the path exactly as sent (no
 * normalisation, so {@code ..} and {@code %00} reach the server), the signing time (a skewed or
 * expired clock), the declared payload hash (UNSIGNED-PAYLOAD, STREAMING-*) and the body, which
 * may disagree with Content-Length on purpose.
 *
 * <pre>{@code
 * final byte[] wire = new SignedRequest(port, "PUT", "/bucket/key").body(data).signedAt(Instant.now());
 * }</pre>
 */
final class SignedRequest
{
    /** The payload hash that tells S3 the body is not covered by the signature. */
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private final int port;
    private final String method;
    private final String rawPath;
    private final Map<String, String> query = new TreeMap<>();
    private final Map<String, String> headers = new TreeMap<>();
    private final Map<String, String> unsignedHeaders = new TreeMap<>();
    private byte[] body = new byte[0];
    private String payloadHash;
    private long contentLength = -1;
    private String accessKey = S3ServerFixture.ACCESS_KEY;
    private String secretKey = S3ServerFixture.SECRET_KEY;

    /**
     * @param port    the server's port, part of the signed Host header.
     * @param method  HTTP method.
     * @param rawPath the path as it goes on the wire (already percent-encoded where wanted).
     */
    SignedRequest(final int port, final String method, final String rawPath)
    {
        this.port = port;
        this.method = method;
        this.rawPath = rawPath;
    }

    /** A query parameter, given unencoded. */
    SignedRequest query(final String name, final String value)
    {
        query.put(name, value);
        return this;
    }

    /** A header covered by the signature. */
    SignedRequest header(final String name, final String value)
    {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    /** A header the signature does not cover (SigV4 allows them), e.g. padding. */
    SignedRequest unsignedHeader(final String name, final String value)
    {
        unsignedHeaders.put(name, value);
        return this;
    }

    /** The body; its SHA-256 is the payload hash unless {@link #payloadHash} says otherwise. */
    SignedRequest body(final byte[] bytes)
    {
        body = bytes;
        return this;
    }

    SignedRequest payloadHash(final String hash)
    {
        payloadHash = hash;
        return this;
    }

    /** A Content-Length other than the body's, to send a truncated request. */
    SignedRequest contentLength(final long length)
    {
        contentLength = length;
        return this;
    }

    SignedRequest credentials(final String newAccessKey, final String newSecretKey)
    {
        accessKey = newAccessKey;
        secretKey = newSecretKey;
        return this;
    }

    /**
     * Signs in the Authorization header.
     *
     * @param time the signing time (x-amz-date).
     * @return the request bytes, headers and body.
     */
    byte[] signedAt(final Instant time)
    {
        final String amzDate = AMZ_DATE.format(time);
        final String hash = null != payloadHash ? payloadHash : Payloads.sha256Hex(body);
        header("host", "127.0.0.1:" + port);
        header("x-amz-date", amzDate);
        header("x-amz-content-sha256", hash);
        final String scope = scope(amzDate);
        final String signedHeaders = String.join(";", headers.keySet());
        final String signature = signature(amzDate, scope, canonicalQuery(query), signedHeaders, hash);
        final String authorization = ALGORITHM + " Credential=" + accessKey + "/" + scope +
            ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        return wire(canonicalQuery(query), authorization);
    }

    /**
     * Signs in the query string, as a presigned URL.
     *
     * @param time    the signing time.
     * @param expires how long the URL is valid.
     * @return the request bytes.
     */
    byte[] presignedAt(final Instant time, final Duration expires)
    {
        final String amzDate = AMZ_DATE.format(time);
        header("host", "127.0.0.1:" + port);
        final String scope = scope(amzDate);
        query.put("X-Amz-Algorithm", ALGORITHM);
        query.put("X-Amz-Credential", accessKey + "/" + scope);
        query.put("X-Amz-Date", amzDate);
        query.put("X-Amz-Expires", Long.toString(expires.toSeconds()));
        query.put("X-Amz-SignedHeaders", String.join(";", headers.keySet()));
        final String signature = signature(amzDate, scope, canonicalQuery(query), String.join(";", headers.keySet()),
            UNSIGNED_PAYLOAD);
        return wire(canonicalQuery(query) + "&X-Amz-Signature=" + signature, null);
    }

    private String scope(final String amzDate)
    {
        return amzDate.substring(0, 8) + "/" + S3ServerFixture.REGION + "/s3/aws4_request";
    }

    private String signature(
        final String amzDate,
        final String scope,
        final String canonicalQuery,
        final String signedHeaders,
        final String hash)
    {
        final StringBuilder canonical = new StringBuilder()
            .append(method).append('\n')
            .append(rawPath).append('\n')
            .append(canonicalQuery).append('\n');
        headers.forEach((name, value) -> canonical.append(name).append(':').append(value.strip()).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append(hash);
        final String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" +
            Payloads.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
        byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        for (final String part : scope.split("/"))
        {
            key = hmac(key, part);
        }
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private byte[] wire(final String queryString, final String authorization)
    {
        final StringBuilder head = new StringBuilder()
            .append(method).append(' ').append(rawPath).append(queryString.isEmpty() ? "" : "?" + queryString)
                .append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        unsignedHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (null != authorization)
        {
            head.append("authorization: ").append(authorization).append("\r\n");
        }
        final long length = contentLength >= 0 ? contentLength : body.length;
        if (length > 0 || "PUT".equals(method) || "POST".equals(method))
        {
            head.append("content-length: ").append(length).append("\r\n");
        }
        head.append("\r\n");
        final ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static String canonicalQuery(final Map<String, String> params)
    {
        final TreeMap<String, String> encoded = new TreeMap<>();
        params.forEach((name, value) -> encoded.put(uriEncode(name), uriEncode(value)));
        final StringBuilder out = new StringBuilder();
        encoded.forEach((name, value) -> out.append(out.isEmpty() ? "" : "&").append(name).append('=').append(value));
        return out.toString();
    }

    /** SigV4's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XX. */
    static String uriEncode(final String value)
    {
        final StringBuilder out = new StringBuilder();
        for (final byte b : value.getBytes(StandardCharsets.UTF_8))
        {
            final int c = b & 0xFF;
            final boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved)
            {
                out.append((char)c);
            }
            else
            {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte)c));
            }
        }
        return out.toString();
    }

    private static byte[] hmac(final byte[] key, final String data)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
