package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.util.Map;

import dev.conduit.objecttier.auth.AuthResult;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The integrity checks a body must pass. (API placeholder; the implementation follows.)
 */
public final class PayloadChecks
{
    private PayloadChecks()
    {
    }

    /**
     * From the request headers: Content-MD5 (format checked here, base64 of 16 bytes, else InvalidDigest;
     * the value itself is checked by the store at commit), x-amz-checksum-&lt;alg&gt; values,
     * x-amz-sdk-checksum-algorithm, x-amz-trailer (the trailer checksum to expect) and, for SIGNED
     * payloads, the x-amz-content-sha256 hex. An unknown algorithm is InvalidRequest.
     *
     * @param headers the request headers.
     * @param auth    the request's authentication.
     * @return the checks to run over the body.
     */
    public static PayloadChecks fromHeaders(final HttpHeaders headers, final AuthResult auth)
    {
        return new PayloadChecks();
    }

    /** @param payload every decoded payload byte, in order; consumed up to the limit. */
    public void update(final ByteBuffer payload)
    {
    }

    /**
     * Compares computed with declared (header or trailer) values.
     *
     * @param trailers the decoder's trailers (empty when none).
     * @return algorithm name to base64 of every checksum declared and verified.
     */
    public Map<String, String> finish(final Map<String, String> trailers)
    {
        return Map.of();
    }

    /** @return the decoded Content-MD5, or null when none was sent. */
    public byte[] contentMd5()
    {
        return null;
    }
}
