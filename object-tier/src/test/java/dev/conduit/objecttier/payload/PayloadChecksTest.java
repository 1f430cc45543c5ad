package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.PayloadMode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

import static dev.conduit.objecttier.payload.AwsChunkedDecoderTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Declared checksums (computed by the AWS SDK) checked against the body, in headers and trailers;
 * every malformed declaration refused.
 */
class PayloadChecksTest
{
    private static final byte[] BODY = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
    private static final AuthResult UNSIGNED = AuthResult.anonymous();
    private static final AuthResult UNSIGNED_TRAILER =
        new AuthResult("AKID", PayloadMode.STREAMING_UNSIGNED_TRAILER, null, false, null);

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void shouldVerifyChecksumHeader(final ChecksumAlgorithm algorithm)
    {
        final String expected = sdk(algorithm, BODY);
        final PayloadChecks checks = PayloadChecks.fromHeaders(headers(algorithm.headerName(), expected), UNSIGNED);
        feedInTwo(checks, BODY);

        assertEquals(Map.of(algorithm.name(), expected), checks.finish(Map.of()));
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void shouldRejectChecksumHeaderOfAnotherBody(final ChecksumAlgorithm algorithm)
    {
        final PayloadChecks checks =
            PayloadChecks.fromHeaders(headers(algorithm.headerName(), sdk(algorithm, "other".getBytes())), UNSIGNED);
        checks.update(ByteBuffer.wrap(BODY));

        final S3Exception ex = assertThrows(S3Exception.class, () -> checks.finish(Map.of()));
        assertEquals(S3Error.BadDigest, ex.error());
        assertEquals(
            "The " + algorithm.name() + " you specified did not match the calculated checksum.", ex.getMessage());
    }

    @Test
    void shouldVerifyTrailerChecksumNamedByXAmzTrailer()
    {
        final String crc = sdk(ChecksumAlgorithm.CRC32C, BODY);
        final HttpHeaders headers = headers("x-amz-trailer", "x-amz-checksum-crc32c");
        headers.set("x-amz-sdk-checksum-algorithm", "CRC32C");
        final PayloadChecks ok = PayloadChecks.fromHeaders(headers, UNSIGNED_TRAILER);
        ok.update(ByteBuffer.wrap(BODY));
        final PayloadChecks wrong = PayloadChecks.fromHeaders(headers, UNSIGNED_TRAILER);
        wrong.update(ByteBuffer.wrap("tampered".getBytes()));
        final PayloadChecks missing = PayloadChecks.fromHeaders(headers, UNSIGNED_TRAILER);

        assertEquals(Map.of("CRC32C", crc), ok.finish(Map.of("x-amz-checksum-crc32c", crc)));
        assertRejected(S3Error.BadDigest, () -> wrong.finish(Map.of("x-amz-checksum-crc32c", crc)));
        assertRejected(S3Error.InvalidRequest, () -> missing.finish(Map.of()));
    }

    @Test
    void shouldRejectUndeclaredOrMalformedTrailerChecksum()
    {
        final PayloadChecks undeclared = PayloadChecks.fromHeaders(new DefaultHttpHeaders(), UNSIGNED_TRAILER);
        final PayloadChecks malformed =
            PayloadChecks.fromHeaders(headers("x-amz-trailer", "x-amz-checksum-crc32"), UNSIGNED_TRAILER);

        assertRejected(S3Error.InvalidRequest, () -> undeclared.finish(Map.of("x-amz-checksum-crc32", "AAAAAA==")));
        assertRejected(S3Error.InvalidDigest, () -> malformed.finish(Map.of("x-amz-checksum-crc32", "AAAA")));
    }

    @Test
    void shouldComputeChecksumNamedOnlyByAlgorithmHeader()
    {
        final PayloadChecks checks =
            PayloadChecks.fromHeaders(headers("x-amz-sdk-checksum-algorithm", "crc64nvme"), UNSIGNED);
        checks.update(ByteBuffer.wrap(BODY));

        assertEquals(Map.of("CRC64NVME", sdk(ChecksumAlgorithm.CRC64NVME, BODY)), checks.finish(Map.of()));
    }

    @Test
    void shouldReturnNothingWhenNothingDeclared()
    {
        final PayloadChecks checks = PayloadChecks.fromHeaders(new DefaultHttpHeaders(), UNSIGNED);
        checks.update(ByteBuffer.wrap(BODY));

        assertEquals(Map.of(), checks.finish(Map.of()));
        assertNull(checks.contentMd5());
    }

    @Test
    void shouldCheckSignedPayloadHash() throws Exception
    {
        final String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY));
        final AuthResult signed = new AuthResult("AKID", PayloadMode.SIGNED, hex, false, null);
        final PayloadChecks ok =
            PayloadChecks.fromHeaders(headers("x-amz-checksum-sha256", sdk(ChecksumAlgorithm.SHA256, BODY)), signed);
        feedInTwo(ok, BODY);
        final PayloadChecks tampered = PayloadChecks.fromHeaders(new DefaultHttpHeaders(), signed);
        tampered.update(ByteBuffer.wrap("Welcome to Amazon S4.".getBytes(StandardCharsets.UTF_8)));

        assertEquals(Map.of("SHA256", sdk(ChecksumAlgorithm.SHA256, BODY)), ok.finish(Map.of()));
        assertRejected(S3Error.XAmzContentSHA256Mismatch, () -> tampered.finish(Map.of()));
    }

    @Test
    void shouldDecodeContentMd5AndRejectMalformedOnes() throws Exception
    {
        final byte[] md5 = MessageDigest.getInstance("MD5").digest(BODY);

        assertArrayEquals(md5, PayloadChecks.fromHeaders(
            headers("Content-MD5", Base64.getEncoder().encodeToString(md5)), UNSIGNED).contentMd5());
        assertRejected(S3Error.InvalidDigest,
            () -> PayloadChecks.fromHeaders(headers("Content-MD5", "not base64!"), UNSIGNED));
        assertRejected(S3Error.InvalidDigest, () -> PayloadChecks.fromHeaders(
            headers("Content-MD5", Base64.getEncoder().encodeToString(new byte[15])), UNSIGNED));
    }

    @Test
    void shouldRejectMalformedDeclarations()
    {
        assertRejected(S3Error.InvalidDigest,
            () -> PayloadChecks.fromHeaders(headers("x-amz-checksum-crc32", "AAAAAAAA"), UNSIGNED));
        assertRejected(S3Error.InvalidRequest,
            () -> PayloadChecks.fromHeaders(headers("x-amz-sdk-checksum-algorithm", "MD5"), UNSIGNED));
        assertRejected(S3Error.InvalidRequest,
            () -> PayloadChecks.fromHeaders(headers("x-amz-trailer", "x-amz-checksum-md5"), UNSIGNED_TRAILER));
        assertRejected(S3Error.InvalidRequest,
            () -> PayloadChecks.fromHeaders(headers("x-amz-trailer", "x-amz-checksum-crc32"), UNSIGNED));

        final HttpHeaders two = headers("x-amz-checksum-crc32", sdk(ChecksumAlgorithm.CRC32, BODY));
        two.set("x-amz-checksum-sha1", sdk(ChecksumAlgorithm.SHA1, BODY));
        assertRejected(S3Error.InvalidRequest, () -> PayloadChecks.fromHeaders(two, UNSIGNED));

        final HttpHeaders conflicting = headers("x-amz-checksum-crc32", sdk(ChecksumAlgorithm.CRC32, BODY));
        conflicting.set("x-amz-sdk-checksum-algorithm", "SHA1");
        assertRejected(S3Error.InvalidRequest, () -> PayloadChecks.fromHeaders(conflicting, UNSIGNED));
    }

    private static void feedInTwo(final PayloadChecks checks, final byte[] body)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(body);
        checks.update(buffer.slice(0, 7));
        checks.update(buffer.slice(7, body.length - 7));
    }

    private static HttpHeaders headers(final String name, final String value)
    {
        return new DefaultHttpHeaders().set(name, value);
    }

    private static String sdk(final ChecksumAlgorithm algorithm, final byte[] data)
    {
        final SdkChecksum checksum = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.fromValue(algorithm.name()));
        checksum.update(data);
        return Base64.getEncoder().encodeToString(checksum.getChecksumBytes());
    }
}
