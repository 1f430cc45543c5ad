package dev.conduit.objecttier.payload;

import java.util.Map;
import java.util.function.Consumer;

import dev.conduit.objecttier.auth.AuthResult;
import io.netty.buffer.ByteBuf;

/**
 * Decodes an aws-chunked body. (API placeholder; the implementation follows.)
 */
public final class AwsChunkedDecoder
{
    /**
     * @param auth                  the request's authentication: its payload mode and chunk chain.
     * @param decodedContentLength  x-amz-decoded-content-length, or -1 when absent.
     */
    public AwsChunkedDecoder(final AuthResult auth, final long decodedContentLength)
    {
    }

    /**
     * Consumes all readable bytes of {@code in} (the caller still owns and releases it), handing each
     * run of payload bytes to {@code payload} as a slice of {@code in}: no copy, valid only during the call.
     *
     * @param in      the next body bytes, split anywhere.
     * @param payload receives the decoded payload bytes, in order.
     */
    public void decode(final ByteBuf in, final Consumer<ByteBuf> payload)
    {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return true once the final 0-size chunk and the trailers (if any) have been read. */
    public boolean isComplete()
    {
        return false;
    }

    /** @return lower-case trailer names to values, e.g. {@code x-amz-checksum-crc32}. */
    public Map<String, String> trailers()
    {
        return Map.of();
    }

    /** Checks the body ended properly: IncompleteBody when not complete or of the wrong decoded length. */
    public void finish()
    {
        throw new UnsupportedOperationException("not yet");
    }
}
