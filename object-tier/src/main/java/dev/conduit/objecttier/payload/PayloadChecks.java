package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.PayloadMode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The integrity checks one body must pass, read from its request's headers: at most one
 * {@code x-amz-checksum-*} (in a header, or in the trailer that {@code x-amz-trailer} names), and
 * for a SIGNED payload its {@code x-amz-content-sha256}. The body is hashed once, as it streams;
 * when both ask for SHA-256 one digest serves both.
 *
 * <pre>{@code
 * final PayloadChecks checks = PayloadChecks.fromHeaders(request.headers(), auth);   // may throw at once
 * checks.update(bytes);  ...                          // every decoded payload byte, in order
 * final Map<String, String> verified = checks.finish(decoder.trailers());   // e.g. {CRC32=sOO8/Q==}
 * }</pre>
 *
 * <p>Threading: one request's state; use it from one thread at a time.
 */
public final class PayloadChecks
{
    /** Names the algorithm of the checksum a client sends or asks for. */
    public static final String SDK_CHECKSUM_ALGORITHM = "x-amz-sdk-checksum-algorithm";
    /** Names the trailer (a checksum) that will follow an aws-chunked body. */
    public static final String TRAILER = "x-amz-trailer";

    private static final int MD5_BYTES = 16;

    private final byte[] contentMd5;
    private final ChecksumAlgorithm algorithm;
    private final String declaredChecksum;
    private final boolean checksumInTrailer;
    private final byte[] contentSha256;
    private final PayloadDigest checksumDigest;
    private final HashDigest sha256Digest;

    private PayloadChecks(
        final byte[] contentMd5,
        final ChecksumAlgorithm algorithm,
        final String declaredChecksum,
        final boolean checksumInTrailer,
        final byte[] contentSha256)
    {
        this.contentMd5 = contentMd5;
        this.algorithm = algorithm;
        this.declaredChecksum = declaredChecksum;
        this.checksumInTrailer = checksumInTrailer;
        this.contentSha256 = contentSha256;
        this.sha256Digest = contentSha256 != null || algorithm == ChecksumAlgorithm.SHA256 ?
            (HashDigest)ChecksumAlgorithm.SHA256.newDigest() : null;
        this.checksumDigest = algorithm == null ? null :
            algorithm == ChecksumAlgorithm.SHA256 ? sha256Digest : algorithm.newDigest();
    }

    /**
     * From the request headers: Content-MD5 (format checked here, base64 of 16 bytes, else InvalidDigest;
     * the value itself is checked by the store at commit), x-amz-checksum-&lt;alg&gt; values,
     * x-amz-sdk-checksum-algorithm, x-amz-trailer (the trailer checksum to expect) and, for SIGNED
     * payloads, the x-amz-content-sha256 hex.
     *
     * @param headers the request headers.
     * @param auth    the request's authentication.
     * @return the checks to run over the body.
     * @throws S3Exception InvalidDigest for a malformed Content-MD5 or checksum value; InvalidRequest for an
     *                     unknown algorithm or trailer, more than one checksum, or a trailer the payload mode
     *                     cannot carry.
     */
    public static PayloadChecks fromHeaders(final HttpHeaders headers, final AuthResult auth)
    {
        final String md5 = headers.get(HttpHeaderNames.CONTENT_MD5);
        final byte[] contentMd5 = md5 == null ? null : decodeBase64(md5, MD5_BYTES, "Content-MD5");

        ChecksumAlgorithm algorithm = null;
        String declared = null;
        for (final ChecksumAlgorithm candidate : ChecksumAlgorithm.values())
        {
            final String value = headers.get(candidate.headerName());
            if (value != null)
            {
                if (algorithm != null)
                {
                    throw multipleChecksums();
                }
                decodeBase64(value, candidate.lengthBytes(), candidate.headerName());
                algorithm = candidate;
                declared = value;
            }
        }

        final String trailer = headers.get(TRAILER);
        final boolean inTrailer = trailer != null;
        if (inTrailer)
        {
            if (algorithm != null)
            {
                throw multipleChecksums();
            }
            if (!auth.payloadMode().hasTrailer())
            {
                throw invalidRequest("x-amz-trailer needs an x-amz-content-sha256 of STREAMING-*-TRAILER.");
            }
            algorithm = ChecksumAlgorithm.fromHeaderName(trailer)
                .orElseThrow(() -> invalidRequest("The value specified in the x-amz-trailer header is not supported"));
        }

        final String sdkAlgorithm = headers.get(SDK_CHECKSUM_ALGORITHM);
        if (sdkAlgorithm != null)
        {
            final ChecksumAlgorithm named = ChecksumAlgorithm.fromName(sdkAlgorithm).orElseThrow(() -> invalidRequest(
                "Checksum algorithm provided is unsupported. Please try again with any of the valid types: " +
                "[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"));
            if (algorithm != null && algorithm != named)
            {
                throw invalidRequest("Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }
            algorithm = named;
        }

        final byte[] contentSha256 = auth.payloadMode() == PayloadMode.SIGNED ?
            HexFormat.of().parseHex(auth.payloadSha256()) : null;
        return new PayloadChecks(contentMd5, algorithm, declared, inTrailer, contentSha256);
    }

    /**
     * Hashes more of the body.
     *
     * @param payload every decoded payload byte, in order; consumed up to the limit.
     */
    public void update(final ByteBuffer payload)
    {
        final int position = payload.position();
        if (sha256Digest != null)
        {
            sha256Digest.update(payload);
        }
        if (checksumDigest != null && checksumDigest != sha256Digest)
        {
            payload.position(position);
            checksumDigest.update(payload);
        }
        payload.position(payload.limit());
    }

    /**
     * Compares computed with declared (header or trailer) values, once the whole body has been seen.
     *
     * @param trailers the decoder's trailers, lower-case names (empty when none).
     * @return algorithm name ({@link ChecksumAlgorithm#name()}) to base64 of the checksum that was declared
     *         and verified, or only named by x-amz-sdk-checksum-algorithm and computed: what to store with
     *         the object and echo in the response. Empty when no checksum was asked for.
     * @throws S3Exception BadDigest when a checksum differs ("The CRC32 you specified did not match the
     *                     calculated checksum."), XAmzContentSHA256Mismatch when a SIGNED payload's hash
     *                     differs, InvalidRequest when the announced trailer is missing or another checksum
     *                     trailer came, InvalidDigest when the trailer value is malformed.
     */
    public Map<String, String> finish(final Map<String, String> trailers)
    {
        if (contentSha256 != null && !MessageDigest.isEqual(contentSha256, sha256Digest.value()))
        {
            throw new S3Exception(S3Error.XAmzContentSHA256Mismatch,
                S3Error.XAmzContentSHA256Mismatch.defaultMessage(), "");
        }
        for (final String name : trailers.keySet())
        {
            if (ChecksumAlgorithm.fromHeaderName(name).isPresent() &&
                (!checksumInTrailer || !name.equals(algorithm.headerName())))
            {
                throw invalidRequest("The trailer " + name + " was not announced in x-amz-trailer.");
            }
        }
        if (algorithm == null)
        {
            return Map.of();
        }
        final String computed = checksumDigest.base64();
        final String expected = checksumInTrailer ? trailers.get(algorithm.headerName()) : declaredChecksum;
        if (checksumInTrailer && expected == null)
        {
            throw invalidRequest("The trailer " + algorithm.headerName() + " named in x-amz-trailer was not sent.");
        }
        if (expected != null &&
            !MessageDigest.isEqual(decodeBase64(expected, algorithm.lengthBytes(), algorithm.headerName()),
                Base64.getDecoder().decode(computed)))
        {
            throw new S3Exception(S3Error.BadDigest,
                "The " + algorithm.name() + " you specified did not match the calculated checksum.", "");
        }
        return Map.of(algorithm.name(), computed);
    }

    /** @return a copy of the decoded Content-MD5, or null when none was sent. */
    public byte[] contentMd5()
    {
        return contentMd5 == null ? null : contentMd5.clone();
    }

    private static byte[] decodeBase64(final String value, final int lengthBytes, final String name)
    {
        final byte[] decoded;
        try
        {
            decoded = Base64.getDecoder().decode(value.strip());
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalidDigest(name);
        }
        if (decoded.length != lengthBytes)
        {
            throw invalidDigest(name);
        }
        return decoded;
    }

    private static S3Exception invalidDigest(final String name)
    {
        return new S3Exception(S3Error.InvalidDigest,
            "The " + name + " you specified is not valid base64 of the right length.", "");
    }

    private static S3Exception multipleChecksums()
    {
        return invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
    }

    private static S3Exception invalidRequest(final String message)
    {
        return new S3Exception(S3Error.InvalidRequest, message, "");
    }
}
