package dev.conduit.objecttier.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;

import static dev.conduit.objecttier.auth.SdkSigning.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests signed by the AWS SDK's own SigV4 signer, verified; and every way of getting it wrong rejected. */
class SigV4VerifierTest
{
    private static final byte[] BODY = "the quick brown fox jumps over the lazy dog\n".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, List<String>> NO_QUERY = Map.of();

    private final SigV4Verifier verifier = SdkSigning.verifier(NOW);

    @Test
    void shouldVerifyHeaderSignedGet()
    {
        final SdkSigning.Signed signed = SdkSigning.signHeader(get("photos/cat.jpg"), null, NOW);

        final AuthResult auth = verifier.verify(signed.request());

        assertEquals(SdkSigning.ACCESS_KEY, auth.accessKeyId());
        assertFalse(auth.isAnonymous());
        assertFalse(auth.presigned());
        assertEquals(PayloadMode.SIGNED, auth.payloadMode());
        assertEquals(Sha256Hmac.EMPTY_SHA256, auth.payloadSha256());
        assertNull(auth.chunkChain());
    }

    @Test
    void shouldVerifyPutWithHexPayloadHash() throws Exception
    {
        final SdkSigning.Signed signed = SdkSigning.signHeader(put("docs/fox.txt"), BODY, NOW);

        final AuthResult auth = verifier.verify(signed.request());

        assertEquals(PayloadMode.SIGNED, auth.payloadMode());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY)), auth.payloadSha256());
    }

    @Test
    void shouldVerifyUnsignedPayload()
    {
        final SdkHttpRequest request = put("docs/fox.txt").toBuilder().protocol("https").build();
        final SdkSigning.Signed signed = SdkSigning.sign(request, BODY, NOW,
            r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        assertEquals("UNSIGNED-PAYLOAD", signed.request().headers().get("x-amz-content-sha256"));

        final AuthResult auth = verifier.verify(signed.request());

        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        assertNull(auth.payloadSha256());
        assertEquals(SdkSigning.ACCESS_KEY, auth.accessKeyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "plain.txt",
        "with space/and+plus=equals~tilde%percent",
        "ünïcödé/日本語/ファイル.bin",
        "odd!chars*'()$&@:,;[]{}^`|\\\"<>#",
        "dir//double//slashes/",
        "./dot/../segments/.",
        "a%2Fb already-escaped-looking %20 text"})
    void shouldVerifyKeysThatNeedEncoding(final String key)
    {
        final SdkHttpRequest request = SdkSigning.request(SdkHttpMethod.PUT, key, Map.of(
            "x-id", List.of("PutObject"),
            "tagging", List.of(""),
            "prefix", List.of("a b+c=d/é~"),
            "marker", List.of("z", "a")))
            .putHeader("x-amz-meta-note", "lots   of    inner  space")
            .putHeader("x-amz-meta-multi", List.of("one", "two"))
            .build();
        final SdkSigning.Signed signed = SdkSigning.signHeader(request, BODY, NOW);

        assertEquals(SdkSigning.ACCESS_KEY, verifier.verify(signed.request()).accessKeyId());
    }

    @Test
    void shouldVerifyPresignedGet()
    {
        final SdkSigning.Signed signed = SdkSigning.presign(
            SdkSigning.request(SdkHttpMethod.GET, "photos/a b+c.jpg", Map.of("versionId", List.of("v1"))).build(),
            NOW, Duration.ofHours(1));
        assertTrue(signed.request().uri().contains("X-Amz-Signature="));

        final AuthResult auth = verifier.verify(signed.request());

        assertTrue(auth.presigned());
        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        assertEquals(SdkSigning.ACCESS_KEY, auth.accessKeyId());
    }

    @Test
    void shouldVerifyPresignedPutUntilItExpires()
    {
        final SdkSigning.Signed signed = SdkSigning.presign(put("upload/ü.bin"), NOW, Duration.ofMinutes(10));

        assertTrue(SdkSigning.verifier(NOW.plusSeconds(600)).verify(signed.request()).presigned());
        final S3Exception expired = assertRejected(S3Error.AccessDenied,
            () -> SdkSigning.verifier(NOW.plusSeconds(601)).verify(signed.request()));
        assertEquals("Request has expired", expired.getMessage());
    }

    @Test
    void shouldRejectPresignedUrlDatedInTheFuture()
    {
        final SdkSigning.Signed signed = SdkSigning.presign(get("k"), NOW.plusSeconds(3600), Duration.ofHours(2));

        final S3Exception early = assertRejected(S3Error.AccessDenied, () -> verifier.verify(signed.request()));
        assertEquals("Request is not valid yet", early.getMessage());
        assertTrue(SdkSigning.verifier(NOW.plusSeconds(3600)).verify(signed.request()).presigned());
    }

    @Test
    void shouldRejectPresignedExpiryOverSevenDays()
    {
        final SdkSigning.Signed signed = SdkSigning.presign(get("k"), NOW, Duration.ofDays(7));
        assertTrue(verifier.verify(signed.request()).presigned());

        final HttpRequest tooLong = withUri(signed.request(),
            signed.request().uri().replace("X-Amz-Expires=604800", "X-Amz-Expires=604801"));

        assertRejected(S3Error.AuthorizationQueryParametersError, () -> verifier.verify(tooLong));
    }

    @Test
    void shouldRejectPresignedUrlWithTamperedQuery()
    {
        final SdkSigning.Signed signed = SdkSigning.presign(get("k"), NOW, Duration.ofHours(1));

        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> verifier.verify(withUri(signed.request(), signed.request().uri() + "&response-content-type=x")));
        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> verifier.verify(withUri(signed.request(), signed.request().uri().replace("/bucket/k", "/bucket/j"))));
    }

    @Test
    void shouldRejectTamperedSignedHeader()
    {
        final SdkHttpRequest request = put("k").toBuilder().putHeader("x-amz-meta-color", "blue").build();
        final FullHttpRequest netty = SdkSigning.signHeader(request, BODY, NOW).request();
        netty.headers().set("x-amz-meta-color", "red");

        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(netty));
    }

    @Test
    void shouldRejectTamperedPathQueryAndMethod()
    {
        final SdkHttpRequest request = SdkSigning.request(SdkHttpMethod.GET, "k", Map.of("a", List.of("1"))).build();
        final FullHttpRequest netty = SdkSigning.signHeader(request, null, NOW).request();

        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(withUri(netty, "/bucket/k2?a=1")));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(withUri(netty, "/bucket/k?a=2")));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(withUri(netty, "/bucket/k?a=1&b")));
        final HttpRequest delete = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.DELETE, netty.uri());
        delete.headers().set(netty.headers());
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(delete));
        assertEquals(SdkSigning.ACCESS_KEY, verifier.verify(netty).accessKeyId());
    }

    @Test
    void shouldRejectTamperedSignatureAndPayloadHash()
    {
        final FullHttpRequest netty = SdkSigning.signHeader(put("k"), BODY, NOW).request();
        final String authorization = netty.headers().get("Authorization");
        final char last = authorization.charAt(authorization.length() - 1);
        final FullHttpRequest badSignature = netty.copy();
        badSignature.headers().set("Authorization",
            authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0'));
        final FullHttpRequest badHash = netty.copy();
        badHash.headers().set("x-amz-content-sha256", Sha256Hmac.EMPTY_SHA256);
        final FullHttpRequest shortSignature = netty.copy();
        shortSignature.headers().set("Authorization", authorization.substring(0, authorization.length() - 2));

        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(badSignature));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(badHash));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(shortSignature));
    }

    @Test
    void shouldRejectUnknownAccessKeyAndWrongSecret()
    {
        final FullHttpRequest netty = SdkSigning.signHeader(get("k"), null, NOW).request();
        netty.headers().set("Authorization",
            netty.headers().get("Authorization").replace(SdkSigning.ACCESS_KEY, "AKIDNOBODY"));
        final SigV4Verifier wrongSecret = new SigV4Verifier(List.of(new Credentials(SdkSigning.ACCESS_KEY, "nope")),
            SdkSigning.REGION, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));

        assertRejected(S3Error.InvalidAccessKeyId, () -> verifier.verify(netty));
        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> wrongSecret.verify(SdkSigning.signHeader(get("k"), null, NOW).request()));
    }

    @Test
    void shouldRejectRequestTimeOutsideClockSkew()
    {
        final FullHttpRequest netty = SdkSigning.signHeader(get("k"), null, NOW).request();

        assertEquals(SdkSigning.ACCESS_KEY, SdkSigning.verifier(NOW.plusSeconds(900)).verify(netty).accessKeyId());
        assertEquals(SdkSigning.ACCESS_KEY, SdkSigning.verifier(NOW.minusSeconds(900)).verify(netty).accessKeyId());
        assertRejected(S3Error.RequestTimeTooSkewed, () -> SdkSigning.verifier(NOW.plusSeconds(901)).verify(netty));
        assertRejected(S3Error.RequestTimeTooSkewed, () -> SdkSigning.verifier(NOW.minusSeconds(901)).verify(netty));
    }

    @Test
    void shouldRejectMissingOrUnknownContentSha256()
    {
        final FullHttpRequest missing = SdkSigning.signHeader(get("k"), null, NOW).request();
        missing.headers().remove("x-amz-content-sha256");
        final FullHttpRequest unknown = SdkSigning.signHeader(get("k"), null, NOW).request();
        unknown.headers().set("x-amz-content-sha256", "STREAMING-NONSENSE");

        assertRejected(S3Error.InvalidContentSha256, () -> verifier.verify(missing));
        assertRejected(S3Error.InvalidContentSha256, () -> verifier.verify(unknown));
    }

    @Test
    void shouldRejectWrongRegionAndMalformedCredential()
    {
        final FullHttpRequest netty = SdkSigning.signHeader(get("k"), null, NOW).request();
        final SigV4Verifier otherRegion = new SigV4Verifier(List.of(new Credentials(SdkSigning.ACCESS_KEY,
            SdkSigning.SECRET)), "eu-west-1", Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));

        assertRejected(S3Error.AuthorizationHeaderMalformed, () -> otherRegion.verify(netty));
        assertRejected(S3Error.AuthorizationHeaderMalformed,
            () -> verifier.verify(withAuthorization(netty, a -> a.replace("/s3/aws4_request", "/ec2/aws4_request"))));
        assertRejected(S3Error.AuthorizationHeaderMalformed,
            () -> verifier.verify(withAuthorization(netty, a -> a.replace("/aws4_request", "/aws5_request"))));
        assertRejected(S3Error.AuthorizationHeaderMalformed,
            () -> verifier.verify(withAuthorization(netty, a -> a.replace("SignedHeaders=host;", "SignedHeaders="))));
        assertRejected(S3Error.AuthorizationHeaderMalformed,
            () -> verifier.verify(withAuthorization(netty, a -> a.replaceAll(", Signature=[0-9a-f]+", ""))));
        assertRejected(S3Error.InvalidRequest, () -> verifier.verify(withAuthorization(netty, a -> "AWS AKID:c2ln")));
    }

    @Test
    void shouldRejectCredentialDateThatDiffersFromRequestDate()
    {
        final FullHttpRequest netty = SdkSigning.signHeader(get("k"), null, NOW).request();

        assertRejected(S3Error.AuthorizationHeaderMalformed,
            () -> verifier.verify(withAuthorization(netty, a -> a.replace("/20260314/", "/20260313/"))));
    }

    @Test
    void shouldTreatUnsignedRequestAsAnonymous()
    {
        final HttpRequest plain = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bucket/k");
        plain.headers().set("Host", "localhost:9000");
        final HttpRequest withHash = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/bucket/k");
        withHash.headers().set("x-amz-content-sha256", Sha256Hmac.EMPTY_SHA256.toUpperCase());
        final HttpRequest streamingSigned = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/bucket/k");
        streamingSigned.headers().set("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");

        final AuthResult anonymous = verifier.verify(plain);
        final AuthResult hashed = verifier.verify(withHash);

        assertTrue(anonymous.isAnonymous());
        assertEquals(AuthResult.anonymous(), anonymous);
        assertTrue(hashed.isAnonymous());
        assertEquals(PayloadMode.SIGNED, hashed.payloadMode());
        assertEquals(Sha256Hmac.EMPTY_SHA256, hashed.payloadSha256());
        assertRejected(S3Error.AccessDenied, () -> verifier.verify(streamingSigned));
    }

    @Test
    void shouldRejectHeaderAndQueryAuthTogether()
    {
        final SdkSigning.Signed presigned = SdkSigning.presign(get("k"), NOW, Duration.ofHours(1));
        final FullHttpRequest both = presigned.request().copy();
        both.headers().set("Authorization", SdkSigning.signHeader(get("k"), null, NOW).request().headers()
            .get("Authorization"));

        assertRejected(S3Error.InvalidArgument, () -> verifier.verify(both));
    }

    @Test
    void shouldRejectIncompletePresignedQuery()
    {
        final String uri = SdkSigning.presign(get("k"), NOW, Duration.ofHours(1)).request().uri();
        final FullHttpRequest netty = SdkSigning.presign(get("k"), NOW, Duration.ofHours(1)).request();

        assertRejected(S3Error.AuthorizationQueryParametersError,
            () -> verifier.verify(withUri(netty, uri.replaceAll("&?X-Amz-Date=[^&]*", ""))));
        assertRejected(S3Error.AuthorizationQueryParametersError,
            () -> verifier.verify(withUri(netty, uri.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"))));
        assertRejected(S3Error.AuthorizationQueryParametersError,
            () -> verifier.verify(withUri(netty, uri.replaceAll("X-Amz-Expires=[0-9]+", "X-Amz-Expires=soon"))));
    }

    @Test
    void shouldSortQueryParametersByNameThenValueAsTheSdkDoes()
    {
        // Names that are prefixes of others, a repeated name with values out of order, and values that
        // need encoding: the canonical query sorts by encoded name, then encoded value.
        final Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("prefix-", List.of("z"));
        query.put("prefix", List.of("b b", "a=a", "A"));
        query.put("list-type", List.of("2"));
        query.put("a~b", List.of(""));
        query.put("Z", List.of("é"));
        final SdkHttpRequest request = SdkSigning.request(SdkHttpMethod.GET, "k", query).build();

        assertEquals(SdkSigning.ACCESS_KEY, verifier.verify(SdkSigning.signHeader(request, null, NOW).request())
            .accessKeyId());
        assertTrue(verifier.verify(SdkSigning.presign(request, NOW, Duration.ofMinutes(5)).request()).presigned());
    }

    private static SdkHttpRequest get(final String key)
    {
        return SdkSigning.request(SdkHttpMethod.GET, key, NO_QUERY).build();
    }

    private static SdkHttpRequest put(final String key)
    {
        return SdkSigning.request(SdkHttpMethod.PUT, key, NO_QUERY).build();
    }

    private static HttpRequest withUri(final HttpRequest request, final String uri)
    {
        final HttpRequest copy = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri);
        copy.headers().set(request.headers());
        return copy;
    }

    private static HttpRequest withAuthorization(
        final HttpRequest request, final UnaryOperator<String> change)
    {
        final HttpRequest copy = withUri(request, request.uri());
        copy.headers().set("Authorization", change.apply(request.headers().get("Authorization")));
        return copy;
    }

    static S3Exception assertRejected(final S3Error error, final Executable call)
    {
        final S3Exception ex = assertThrows(S3Exception.class, call);
        assertEquals(error, ex.error(), ex.getMessage());
        return ex;
    }
}
