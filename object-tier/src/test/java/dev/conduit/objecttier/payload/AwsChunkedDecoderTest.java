package dev.conduit.objecttier.payload;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.AwsDocExamples;
import dev.conduit.objecttier.auth.PayloadMode;
import dev.conduit.objecttier.auth.SdkSigning;
import dev.conduit.objecttier.auth.SigV4Verifier;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;

import static dev.conduit.objecttier.payload.ChunkedBodies.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aws-chunked bodies framed and signed by the AWS SDK's signer, and the one published in the S3
 * docs, decoded with every chunk signature verified; split anywhere, truncated anywhere, tampered.
 */
class AwsChunkedDecoderTest
{
    private static final int SDK_BODY_BYTES = 300_000;
    private static final byte[] SDK_DATA = randomBytes(SDK_BODY_BYTES, 42);
    private static final SdkSigning.Signed SIGNED_TRAILER = sdkChunked(SDK_DATA, true, true);
    private static final byte[] DOC_BODY = AwsDocExamples.chunkedBody();
    private static final byte[] DOC_DATA = "a".repeat(66_560).getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldDecodeDocumentedChunkedExampleVerifyingEveryChunk()
    {
        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(docAuth(), 66_560, DOC_BODY, List.of());

        assertArrayEquals(DOC_DATA, decoded.payload());
        assertTrue(decoded.decoder().isComplete());
        assertEquals(Map.of(), decoded.decoder().trailers());
        decoded.decoder().finish();
    }

    @Test
    void shouldDecodeDocumentedExampleFedOneByteAtATime()
    {
        final List<Integer> everyByte = new ArrayList<>();
        for (int i = 1; i < DOC_BODY.length; i++)
        {
            everyByte.add(i);
        }

        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(docAuth(), 66_560, DOC_BODY, everyByte);

        assertArrayEquals(DOC_DATA, decoded.payload());
        decoded.decoder().finish();
    }

    @Test
    void shouldDecodeDocumentedExampleFromCompositeBuffer()
    {
        final CompositeByteBuf composite = Unpooled.compositeBuffer();
        for (int from = 0; from < DOC_BODY.length; from += 7_001)
        {
            final int length = Math.min(7_001, DOC_BODY.length - from);
            composite.addComponent(true, Unpooled.wrappedBuffer(DOC_BODY, from, length));
        }
        final AwsChunkedDecoder decoder = new AwsChunkedDecoder(docAuth(), 66_560);
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        try
        {
            decoder.decode(composite, slice -> payload.writeBytes(ByteBufUtil.getBytes(slice)));
        }
        finally
        {
            composite.release();
        }

        assertArrayEquals(DOC_DATA, payload.toByteArray());
        decoder.finish();
    }

    @Test
    void shouldRejectDocumentedExampleWithOneDataByteChanged()
    {
        final byte[] tampered = DOC_BODY.clone();
        tampered[DOC_BODY.length - 200] = 'b';

        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> ChunkedBodies.decode(docAuth(), 66_560, tampered, List.of()));
    }

    @Test
    void shouldRejectDocumentedExampleWithChunkSignaturesOutOfChain()
    {
        final String body = new String(DOC_BODY, StandardCharsets.ISO_8859_1);
        final String swapped = body
            .replace(AwsDocExamples.CHUNK_SIGNATURES.get(0), "X".repeat(64))
            .replace(AwsDocExamples.CHUNK_SIGNATURES.get(1), AwsDocExamples.CHUNK_SIGNATURES.get(0))
            .replace("X".repeat(64), AwsDocExamples.CHUNK_SIGNATURES.get(1));

        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> ChunkedBodies.decode(docAuth(), 66_560, ascii(swapped), List.of()));
    }

    @Test
    void shouldRejectDocumentedExampleWithoutItsFinalChunk()
    {
        final int finalChunkBytes = "0;chunk-signature=".length() + 64 + 4;
        final byte[] withoutFinal = Arrays.copyOf(DOC_BODY, DOC_BODY.length - finalChunkBytes);
        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(docAuth(), 66_560, withoutFinal, List.of());

        assertFalse(decoded.decoder().isComplete());
        assertRejected(S3Error.IncompleteBody, decoded.decoder()::finish);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class,
        names = {"STREAMING_SIGNED", "STREAMING_SIGNED_TRAILER", "STREAMING_UNSIGNED_TRAILER"})
    void shouldDecodeSdkChunkedBodies(final PayloadMode mode)
    {
        final boolean trailer = mode.hasTrailer();
        final SdkSigning.Signed signed = sdkChunked(SDK_DATA, mode.signedChunks(), trailer);
        final AuthResult auth = verifier().verify(signed.request());
        assertEquals(mode, auth.payloadMode());
        final PayloadChecks checks = PayloadChecks.fromHeaders(signed.request().headers(), auth);

        final ChunkedBodies.Decoded decoded =
            ChunkedBodies.decode(auth, decodedLength(signed), signed.body(), List.of());
        checks.update(ByteBuffer.wrap(decoded.payload()));

        assertArrayEquals(SDK_DATA, decoded.payload());
        decoded.decoder().finish();
        final Map<String, String> verified = checks.finish(decoded.decoder().trailers());
        if (trailer)
        {
            assertEquals(Map.of("CRC32", sdkCrc32(SDK_DATA)), verified);
            assertEquals(sdkCrc32(SDK_DATA), decoded.decoder().trailers().get("x-amz-checksum-crc32"));
        }
        else
        {
            assertEquals(Map.of(), decoded.decoder().trailers());
        }
    }

    @Test
    void shouldRejectSdkSignedTrailerWithChangedChecksum()
    {
        final AuthResult auth = verifier().verify(SIGNED_TRAILER.request());
        final String body = new String(SIGNED_TRAILER.body(), StandardCharsets.ISO_8859_1);
        final String original = sdkCrc32(SDK_DATA);
        final String other = sdkCrc32(new byte[] {1});
        assertTrue(body.contains("x-amz-checksum-crc32:" + original + "\r\n"), body.substring(body.length() - 200));

        assertRejected(S3Error.SignatureDoesNotMatch, () -> ChunkedBodies.decode(auth, SDK_BODY_BYTES,
            ascii(body.replace("x-amz-checksum-crc32:" + original, "x-amz-checksum-crc32:" + other)), List.of()));
    }

    @Property(tries = 60)
    void shouldDecodeSdkSignedTrailerBodySplitAnywhere(
        @ForAll @Size(max = 40) final List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> cuts)
    {
        final AuthResult auth = verifier().verify(SIGNED_TRAILER.request());

        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(auth, SDK_BODY_BYTES, SIGNED_TRAILER.body(), cuts);

        assertArrayEquals(SDK_DATA, decoded.payload());
        decoded.decoder().finish();
        assertEquals(sdkCrc32(SDK_DATA), decoded.decoder().trailers().get("x-amz-checksum-crc32"));
    }

    @Property(tries = 200)
    void shouldDecodeSmallChunksSplitAnywhere(
        @ForAll @Size(max = 2000) final byte[] data,
        @ForAll @Size(min = 1, max = 8) final List<@IntRange(min = 1, max = 300) Integer> chunkSizes,
        @ForAll @Size(max = 60) final List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> cuts)
    {
        final byte[] body = ChunkedBodies.unsignedWithCrc32Trailer(data, chunkSizes);
        final AuthResult auth = new AuthResult(null, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, false, null);

        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(auth, data.length, body, cuts);

        assertArrayEquals(data, decoded.payload());
        decoded.decoder().finish();
        final CRC32 crc = new CRC32();
        crc.update(data);
        assertEquals(crc.getValue(),
            Integer.toUnsignedLong(ByteBuffer.wrap(Base64.getDecoder().decode(
                decoded.decoder().trailers().get("x-amz-checksum-crc32"))).getInt()));
    }

    @Property(tries = 200)
    void shouldNeverCompleteATruncatedBody(
        @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int truncateAt,
        @ForAll @Size(max = 10) final List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> cuts)
    {
        final boolean useDoc = (truncateAt & 1) == 0;
        final byte[] body = useDoc ? DOC_BODY : SIGNED_TRAILER.body();
        final AuthResult auth = useDoc ? docAuth() : verifier().verify(SIGNED_TRAILER.request());
        final byte[] truncated = Arrays.copyOf(body, truncateAt % body.length);

        final ChunkedBodies.Decoded decoded =
            ChunkedBodies.decode(auth, useDoc ? 66_560 : SDK_BODY_BYTES, truncated, cuts);

        assertFalse(decoded.decoder().isComplete());
        assertRejected(S3Error.IncompleteBody, decoded.decoder()::finish);
    }

    @Test
    void shouldRejectMalformedFraming()
    {
        assertInvalid("zz\r\nab\r\n0\r\n\r\n", -1);
        assertInvalid("\r\n", -1);
        assertInvalid("1000000000000000\r\n", -1);
        assertInvalid("3\r\nabcX\r\n0\r\n\r\n", -1);
        assertInvalid("3\r\nabc\rX0\r\n\r\n", -1);
        assertInvalid("3\nabc\r\n0\r\n\r\n", -1);
        assertInvalid("3\r\nabc\r\n0\r\n\r\nextra", -1);
        assertInvalid("4\r\nabcd\r\n0\r\n\r\n", 3);
        assertInvalid("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", -1);
        assertInvalid("3;" + "x".repeat(AwsChunkedDecoder.MAX_LINE_BYTES) + "\r\n", -1);
    }

    @Test
    void shouldAcceptHeaderLinesUpToTheLimit()
    {
        final String extension = ";" + "x".repeat(AwsChunkedDecoder.MAX_LINE_BYTES - 5);
        final byte[] body = ascii("3" + extension + "\r\nabc\r\n0\r\n\r\n");
        final ChunkedBodies.Decoded decoded = ChunkedBodies.decode(unsignedAuth(), 3, body, List.of(7, 2000));

        assertArrayEquals(ascii("abc"), decoded.payload());
        decoded.decoder().finish();
    }

    @Test
    void shouldRejectTrailerSectionOverItsLimit()
    {
        final StringBuilder body = new StringBuilder("0\r\n");
        int i = 0;
        while (body.length() < AwsChunkedDecoder.MAX_TRAILER_BYTES + 100)
        {
            body.append("x-amz-meta-").append(i++).append(':').append("v".repeat(1000)).append("\r\n");
        }
        body.append("\r\n");
        final AuthResult trailerAuth = new AuthResult(null, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, false, null);

        assertRejected(S3Error.InvalidRequest,
            () -> ChunkedBodies.decode(trailerAuth, 0, ascii(body.toString()), List.of()));
    }

    @Test
    void shouldRejectSignedChunkWithoutSignature()
    {
        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> ChunkedBodies.decode(docAuth(), 66_560, ascii("10000\r\n"), List.of()));
    }

    @Test
    void shouldRejectSignedTrailerWithoutTrailerSignature()
    {
        final AuthResult auth = verifier().verify(SIGNED_TRAILER.request());
        final String body = new String(SIGNED_TRAILER.body(), StandardCharsets.ISO_8859_1);
        final String unsigned = body.replaceAll("x-amz-trailer-signature:[0-9a-f]+\r\n", "");
        assertTrue(unsigned.length() < body.length());

        assertRejected(S3Error.SignatureDoesNotMatch,
            () -> ChunkedBodies.decode(auth, SDK_BODY_BYTES, ascii(unsigned), List.of()));
    }

    @Test
    void shouldRejectDecodedLengthMismatchAndStayFailed()
    {
        final ChunkedBodies.Decoded shortBody =
            ChunkedBodies.decode(unsignedAuth(), 10, ascii("3\r\nabc\r\n0\r\n\r\n"), List.of());
        assertTrue(shortBody.decoder().isComplete());
        assertRejected(S3Error.IncompleteBody, shortBody.decoder()::finish);

        final AwsChunkedDecoder decoder = new AwsChunkedDecoder(unsignedAuth(), -1);
        assertRejected(S3Error.InvalidRequest, () -> decoder.decode(Unpooled.wrappedBuffer(ascii("q\r\n")), b -> { }));
        assertRejected(S3Error.InvalidRequest,
            () -> decoder.decode(Unpooled.wrappedBuffer(ascii("0\r\n\r\n")), b -> { }));
    }

    private static void assertInvalid(final String body, final long decodedLength)
    {
        assertRejected(S3Error.InvalidRequest,
            () -> ChunkedBodies.decode(unsignedAuth(), decodedLength, ascii(body), List.of()));
    }

    static void assertRejected(final S3Error error, final Executable call)
    {
        final S3Exception ex = assertThrows(S3Exception.class, call);
        assertEquals(error, ex.error(), ex.getMessage());
    }

    private static AuthResult unsignedAuth()
    {
        return AuthResult.anonymous();
    }

    private static AuthResult docAuth()
    {
        return AwsDocExamples.verifier(AwsDocExamples.SIGNED_AT).verify(AwsDocExamples.chunkedPut());
    }

    private static SigV4Verifier verifier()
    {
        return SdkSigning.verifier(SdkSigning.NOW);
    }

    private static long decodedLength(final SdkSigning.Signed signed)
    {
        return Long.parseLong(signed.request().headers().get("x-amz-decoded-content-length"));
    }

    /** Signs {@code data} as an aws-chunked PUT with the SDK: chunk-signed or not, with a CRC32 trailer or not. */
    static SdkSigning.Signed sdkChunked(final byte[] data, final boolean signed, final boolean crc32Trailer)
    {
        final SdkHttpRequest request = SdkSigning.request(SdkHttpMethod.PUT, "big/object.bin", Map.of())
            .protocol(signed ? "http" : "https")
            .putHeader("Content-Length", Integer.toString(data.length))
            .build();
        final SdkSigning.Signed result = SdkSigning.sign(request, data, SdkSigning.NOW, r ->
        {
            r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signed)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true);
            if (crc32Trailer)
            {
                r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        final FullHttpRequest netty = result.request();
        netty.headers().set("Content-Length", result.body().length);
        return result;
    }

    static String sdkCrc32(final byte[] data)
    {
        final SdkChecksum crc = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.CRC32);
        crc.update(data);
        return Base64.getEncoder().encodeToString(crc.getChecksumBytes());
    }

    static byte[] randomBytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
