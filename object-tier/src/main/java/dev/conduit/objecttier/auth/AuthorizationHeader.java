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
        // Indexes instead of strip/split/substring per field: this runs on every signed request.
        int end = value.length();
        while (end > 0 && Character.isWhitespace(value.charAt(end - 1)))
        {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(value.charAt(start)))
        {
            start++;
        }
        if (!value.startsWith(ALGORITHM, start) || start + ALGORITHM.length() >= end ||
            value.charAt(start + ALGORITHM.length()) != ' ')
        {
            throw new S3Exception(S3Error.InvalidRequest,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.", "");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        int fieldStart = start + ALGORITHM.length() + 1;
        while (fieldStart <= end && !onlyCommas(value, fieldStart, end))
        {
            int fieldEnd = value.indexOf(',', fieldStart);
            if (fieldEnd < 0 || fieldEnd > end)
            {
                fieldEnd = end;
            }
            int from = fieldStart;
            int to = fieldEnd;
            while (from < to && Character.isWhitespace(value.charAt(from)))
            {
                from++;
            }
            while (to > from && Character.isWhitespace(value.charAt(to - 1)))
            {
                to--;
            }
            final int equals = value.indexOf('=', from);
            final int nameEnd = equals < 0 || equals >= to ? to : equals;
            final String fieldValue = nameEnd == to ? null : value.substring(nameEnd + 1, to);
            if (isName(value, from, nameEnd, "Credential"))
            {
                credential = fieldValue;
            }
            else if (isName(value, from, nameEnd, "SignedHeaders"))
            {
                signedHeaders = fieldValue;
            }
            else if (isName(value, from, nameEnd, "Signature"))
            {
                signature = fieldValue;
            }
            else
            {
                throw malformed("unknown field '" + value.substring(from, nameEnd) + "'");
            }
            fieldStart = fieldEnd + 1;
        }
        if (credential == null || signedHeaders == null || signature == null)
        {
            throw malformed("Credential, SignedHeaders and Signature are all required");
        }
        return new AuthorizationHeader(credential, signedHeaders, signature);
    }

    /** Trailing empty fields are ignored (as String.split drops them). */
    private static boolean onlyCommas(final String value, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (value.charAt(i) != ',')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isName(final String value, final int from, final int to, final String name)
    {
        return to - from == name.length() && value.startsWith(name, from);
    }

    private static S3Exception malformed(final String why)
    {
        return new S3Exception(S3Error.AuthorizationHeaderMalformed,
            S3Error.AuthorizationHeaderMalformed.defaultMessage() + " " + why + ".", "");
    }
}
