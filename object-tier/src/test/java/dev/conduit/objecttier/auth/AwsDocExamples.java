package dev.conduit.objecttier.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The worked examples of the Amazon S3 API reference (SigV4 "Examples: Signature Calculations",
 * "Authenticating Requests: Using Query Parameters", "Transferring Payload in Multiple Chunks"):
 * requests and signatures published by AWS, independent of any SDK.
 */
public final class AwsDocExamples
{
    /** The documentation's access key. */
    public static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    /** The documentation's secret key. */
    public static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    /** When every example was signed. */
    public static final Instant SIGNED_AT = Instant.parse("2013-05-24T00:00:00Z");
    /** The seed signature of the chunked upload example. */
    public static final String CHUNKED_SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    /** The chunk signatures of that example: 64 KiB of 'a', 1 KiB of 'a', then the empty final chunk. */
    public static final List<String> CHUNK_SIGNATURES = List.of(
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");

    private static final String CREDENTIAL = ACCESS_KEY + "/20130524/us-east-1/s3/aws4_request";

    private AwsDocExamples()
    {
    }

    /** @return a verifier holding the documentation's key, its clock at {@code now}. */
    public static SigV4Verifier verifier(final Instant now)
    {
        return new SigV4Verifier(List.of(new Credentials(ACCESS_KEY, SECRET)), "us-east-1",
            Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(15));
    }

    /** @return the chunked upload example's request line and headers (PUT /examplebucket/chunkObject.txt). */
    public static HttpRequest chunkedPut()
    {
        final HttpRequest request =
            new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/examplebucket/chunkObject.txt");
        request.headers()
            .set("Host", "s3.amazonaws.com")
            .set("x-amz-date", "20130524T000000Z")
            .set("x-amz-storage-class", "REDUCED_REDUNDANCY")
            .set("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
            .set("Content-Encoding", "aws-chunked")
            .set("x-amz-decoded-content-length", "66560")
            .set("Content-Length", "66824")
            .set("Authorization", authorization(
                "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;" +
                "x-amz-storage-class", CHUNKED_SEED));
        return request;
    }

    /** @return the aws-chunked body of the chunked upload example, 66824 bytes. */
    public static byte[] chunkedBody()
    {
        final StringBuilder body = new StringBuilder();
        final int[] sizes = {65536, 1024, 0};
        for (int i = 0; i < sizes.length; i++)
        {
            body.append(Integer.toHexString(sizes[i])).append(";chunk-signature=").append(CHUNK_SIGNATURES.get(i))
                .append("\r\n").append("a".repeat(sizes[i])).append("\r\n");
        }
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param uri           the request-target.
     * @param signedHeaders the SignedHeaders field.
     * @param signature     the published signature.
     * @return a GET to examplebucket.s3.amazonaws.com with an empty payload hash.
     */
    public static HttpRequest get(final String uri, final String signedHeaders, final String signature)
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers()
            .set("Host", "examplebucket.s3.amazonaws.com")
            .set("x-amz-date", "20130524T000000Z")
            .set("x-amz-content-sha256", Sha256Hmac.EMPTY_SHA256)
            .set("Authorization", authorization(signedHeaders, signature));
        return request;
    }

    /** @return the Authorization header of an example. */
    public static String authorization(final String signedHeaders, final String signature)
    {
        return "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ",SignedHeaders=" + signedHeaders +
            ",Signature=" + signature;
    }
}
