package dev.conduit.objecttier.auth;

/**
 * Who sent a request and how its body is protected: what {@link SigV4Verifier#verify} found.
 *
 * @param accessKeyId   the verified access key, or null for an anonymous request.
 * @param payloadMode   how the body is protected.
 * @param payloadSha256 the lower-hex SHA-256 the body must have for {@link PayloadMode#SIGNED}, else null.
 * @param presigned     true when the signature came in the query string.
 * @param chunkChain    the chunk signature verifier for {@link PayloadMode#STREAMING_SIGNED} and
 *                      {@link PayloadMode#STREAMING_SIGNED_TRAILER}, else null. It holds per-request
 *                      state: one request, one chain.
 */
public record AuthResult(
    String accessKeyId,
    PayloadMode payloadMode,
    String payloadSha256,
    boolean presigned,
    ChunkSignatureChain chunkChain)
{
    private static final AuthResult ANONYMOUS = new AuthResult(null, PayloadMode.UNSIGNED, null, false, null);

    /** Checks that the parts agree with each other. */
    public AuthResult
    {
        if (payloadMode == null)
        {
            throw new IllegalArgumentException("payloadMode is null");
        }
        if ((payloadMode == PayloadMode.SIGNED) != (payloadSha256 != null))
        {
            throw new IllegalArgumentException("payloadSha256 must be given exactly for SIGNED: " + payloadMode);
        }
        if (payloadMode.signedChunks() != (chunkChain != null))
        {
            throw new IllegalArgumentException("chunkChain must be given exactly for signed streaming: " + payloadMode);
        }
    }

    /** @return the result for a request that carries no signature and no payload hash. */
    public static AuthResult anonymous()
    {
        return ANONYMOUS;
    }

    /** @return true when no access key signed the request. */
    public boolean isAnonymous()
    {
        return accessKeyId == null;
    }

    @Override
    public String toString()
    {
        return "AuthResult[" + accessKeyId + ", " + payloadMode + (presigned ? ", presigned]" : "]");
    }
}
