package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;

/**
 * A running checksum or hash of a body, one per {@link ChecksumAlgorithm}.
 *
 * <p>Threading: not thread-safe.
 */
public interface PayloadDigest
{
    /**
     * Adds bytes.
     *
     * @param bytes the next bytes of the body; consumed from position to limit.
     */
    void update(ByteBuffer bytes);

    /**
     * Ends the computation; later calls return the same value and {@link #update} must not follow.
     *
     * @return the value, big-endian, in base64, as S3 encodes it in {@code x-amz-checksum-*}.
     */
    String base64();
}
