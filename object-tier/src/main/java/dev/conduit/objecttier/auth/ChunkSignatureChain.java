package dev.conduit.objecttier.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * Verifies the signatures of an aws-chunked body, each chained to the one before it and the first
 * to the request's own (seed) signature. For a chunk the string to sign is
 * <pre>
 * AWS4-HMAC-SHA256-PAYLOAD \n timestamp \n scope \n previous-signature \n SHA256("") \n SHA256(chunk-data)
 * </pre>
 * and for the trailer section
 * <pre>
 * AWS4-HMAC-SHA256-TRAILER \n timestamp \n scope \n previous-signature \n SHA256(trailer lines)
 * </pre>
 * where the trailer lines are {@code name:value\n} for each trailer but the signature itself.
 *
 * <p>Call sequence, for every chunk including the final empty one:
 * <pre>{@code
 * chain.update(bytes);  ...   // the chunk's data, in as many pieces as it arrives
 * chain.verifyChunk(sig);     // the chunk-signature of that chunk's header line
 * chain.verifyTrailer(lines, trailerSig);   // trailer modes only, after the final chunk
 * }</pre>
 *
 * <p>Threading: holds one request's state; use it from one thread at a time.
 */
public final class ChunkSignatureChain
{
    private static final int SIGNATURE_BYTES = 32;

    private final Sha256Hmac crypto = new Sha256Hmac();
    private final byte[] signingKey;
    private final String timestamp;
    private final String scope;
    private final byte[] provided = new byte[SIGNATURE_BYTES];
    private final StringBuilder stringToSign = new StringBuilder(256);
    private String previousSignature;

    ChunkSignatureChain(final byte[] signingKey, final String timestamp, final String scope, final String seed)
    {
        this.signingKey = signingKey;
        this.timestamp = timestamp;
        this.scope = scope;
        this.previousSignature = seed;
    }

    /**
     * Adds data of the current chunk to its hash.
     *
     * @param data chunk bytes; consumed up to the limit.
     */
    public void update(final ByteBuffer data)
    {
        crypto.sha256Update(data);
    }

    /**
     * Ends the current chunk: checks its signature and makes it the one the next chunk chains to.
     *
     * @param signature the 64 hex digits of the chunk's {@code chunk-signature}.
     * @throws S3Exception SignatureDoesNotMatch when it is not the signature of the chunk.
     */
    public void verifyChunk(final CharSequence signature)
    {
        final byte[] dataHash = crypto.sha256Finish();
        final StringBuilder sb = prefix("AWS4-HMAC-SHA256-PAYLOAD");
        sb.append(Sha256Hmac.EMPTY_SHA256).append('\n');
        Hex.append(sb, dataHash);
        check(sb, signature, "chunk");
    }

    /**
     * Checks the trailer signature, which chains to the final (empty) chunk's.
     *
     * @param trailerLines the trailers but the signature, each as {@code name:value\n}, in the order sent.
     * @param signature    the 64 hex digits of {@code x-amz-trailer-signature}.
     * @throws S3Exception SignatureDoesNotMatch when it does not match.
     */
    public void verifyTrailer(final CharSequence trailerLines, final CharSequence signature)
    {
        final byte[] trailerHash = crypto.sha256(trailerLines);
        final StringBuilder sb = prefix("AWS4-HMAC-SHA256-TRAILER");
        Hex.append(sb, trailerHash);
        check(sb, signature, "trailer");
    }

    private StringBuilder prefix(final String algorithm)
    {
        final StringBuilder sb = stringToSign;
        sb.setLength(0);
        return sb.append(algorithm).append('\n')
            .append(timestamp).append('\n')
            .append(scope).append('\n')
            .append(previousSignature).append('\n');
    }

    private void check(final StringBuilder sb, final CharSequence signature, final String what)
    {
        final byte[] expected = crypto.hmac(signingKey, sb);
        if (signature == null || signature.length() != SIGNATURE_BYTES * 2 || !Hex.decode(signature, 0, provided) ||
            !MessageDigest.isEqual(expected, provided))
        {
            throw new S3Exception(
                S3Error.SignatureDoesNotMatch, "The " + what + " signature does not match the data sent.", "");
        }
        previousSignature = Hex.encode(expected);
    }
}
