package dev.conduit.objecttier.auth;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The three fields of {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}.
 *
 * @param credential    the Credential value.
 * @param signedHeaders the SignedHeaders value, {@code ;}-separated lower-case names.
 * @param signature     the Signature value.
 */
record AuthorizationHeader(String credential, String signedHeaders, String signature)
{
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /**
     * @param value the Authorization header.
     * @return its fields.
     * @throws S3Exception InvalidRequest for another scheme, AuthorizationHeaderMalformed when malformed.
     */
    static AuthorizationHeader parse(final String value)
    {
        final String trimmed = value.strip();
        if (!trimmed.startsWith(ALGORITHM + " "))
        {
            throw new S3Exception(S3Error.InvalidRequest,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.", "");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (final String field : trimmed.substring(ALGORITHM.length() + 1).split(","))
        {
            final String part = field.strip();
            final int equals = part.indexOf('=');
            final String name = equals < 0 ? part : part.substring(0, equals);
            final String fieldValue = equals < 0 ? null : part.substring(equals + 1);
            switch (name)
            {
                case "Credential" -> credential = fieldValue;
                case "SignedHeaders" -> signedHeaders = fieldValue;
                case "Signature" -> signature = fieldValue;
                default -> throw malformed("unknown field '" + name + "'");
            }
        }
        if (credential == null || signedHeaders == null || signature == null)
        {
            throw malformed("Credential, SignedHeaders and Signature are all required");
        }
        return new AuthorizationHeader(credential, signedHeaders, signature);
    }

    private static S3Exception malformed(final String why)
    {
        return new S3Exception(S3Error.AuthorizationHeaderMalformed,
            S3Error.AuthorizationHeaderMalformed.defaultMessage() + " " + why + ".", "");
    }
}
