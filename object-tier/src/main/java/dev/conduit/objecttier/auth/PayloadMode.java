package dev.conduit.objecttier.auth;

/**
 * How a request's body is protected, from its {@code x-amz-content-sha256} header (or from the
 * kind of authentication when there is no such header).
 */
public enum PayloadMode
{
    /** {@code UNSIGNED-PAYLOAD}, a presigned URL, or an anonymous request: the body is not signed. */
    UNSIGNED(false, "UNSIGNED-PAYLOAD"),
    /** A lower-hex SHA-256 of the whole body: the store checks it once the body is in. */
    SIGNED(false, null),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked, every chunk signed. */
    STREAMING_SIGNED(true, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: aws-chunked, chunks and trailer signed. */
    STREAMING_SIGNED_TRAILER(true, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked, nothing signed, a checksum trailer. */
    STREAMING_UNSIGNED_TRAILER(true, "STREAMING-UNSIGNED-PAYLOAD-TRAILER");

    private final boolean chunked;
    private final String headerValue;

    PayloadMode(final boolean chunked, final String headerValue)
    {
        this.chunked = chunked;
        this.headerValue = headerValue;
    }

    /** @return true when the body is aws-chunked and must go through the chunked decoder. */
    public boolean chunked()
    {
        return chunked;
    }

    /** @return true when the body ends with a trailer section. */
    public boolean hasTrailer()
    {
        return this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /** @return true when every chunk carries a chunk-signature to verify. */
    public boolean signedChunks()
    {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }

    /**
     * @param value an {@code x-amz-content-sha256} value.
     * @return the mode it names; {@link #SIGNED} for 64 hex digits; null when it is none of these.
     */
    static PayloadMode fromContentSha256(final String value)
    {
        if (Hex.isSha256Hex(value))
        {
            return SIGNED;
        }
        for (final PayloadMode mode : values())
        {
            if (mode.headerValue != null && mode.headerValue.equals(value))
            {
                return mode;
            }
        }
        return null;
    }
}
