package dev.conduit.objecttier.auth;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The parts of a SigV4 credential, {@code AKID/yyyyMMdd/region/s3/aws4_request}.
 *
 * @param accessKeyId the access key.
 * @param date        the scope date, {@code yyyyMMdd}.
 * @param region      the region signed for.
 * @param scope       everything after the access key: the credential scope of the string to sign.
 */
record CredentialScope(String accessKeyId, String date, String region, String scope)
{
    private static final String SERVICE = "s3";
    private static final String TERMINATOR = "aws4_request";

    /**
     * @param credential the Credential value.
     * @param error      the code to fail with: header and query auth report differently.
     * @param region     the region this server serves.
     * @return the parsed scope.
     * @throws S3Exception {@code error} when it is malformed or for another region or service.
     */
    static CredentialScope parse(final String credential, final S3Error error, final String region)
    {
        // The access key is all that precedes the last four parts.
        final int terminator = credential.lastIndexOf('/');
        final int service = terminator > 0 ? credential.lastIndexOf('/', terminator - 1) : -1;
        final int regionAt = service > 0 ? credential.lastIndexOf('/', service - 1) : -1;
        final int date = regionAt > 0 ? credential.lastIndexOf('/', regionAt - 1) : -1;
        if (date <= 0)
        {
            throw malformed(error,
                "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        final String scopeDate = credential.substring(date + 1, regionAt);
        final String scopeRegion = credential.substring(regionAt + 1, service);
        if (scopeDate.length() != 8 || !allDigits(scopeDate))
        {
            throw malformed(error, "Invalid credential date \"" + scopeDate + "\".");
        }
        if (!TERMINATOR.equals(credential.substring(terminator + 1)))
        {
            throw malformed(error, "the Credential should be scoped with a valid terminator: 'aws4_request'.");
        }
        if (!SERVICE.equals(credential.substring(service + 1, terminator)))
        {
            throw malformed(error, "the Credential should be scoped to correct service: 's3'.");
        }
        if (!region.equals(scopeRegion))
        {
            throw malformed(error, "the region '" + scopeRegion + "' is wrong; expecting '" + region + "'");
        }
        return new CredentialScope(
            credential.substring(0, date), scopeDate, scopeRegion, credential.substring(date + 1));
    }

    private static boolean allDigits(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (!Character.isDigit(text.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static S3Exception malformed(final S3Error error, final String message)
    {
        return new S3Exception(error, error.defaultMessage() + " " + message, "");
    }
}
