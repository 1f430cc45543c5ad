package dev.conduit.objecttier.auth;

import org.junit.jupiter.api.Test;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Authorization header's fields, parsed by index: what the old strip/split parse accepted and refused. */
class AuthorizationHeaderTest
{
    @Test
    void shouldParseAuthorizationWithSpacesAndTrailingCommasAsBefore()
    {
        final AuthorizationHeader parsed = AuthorizationHeader.parse(
            "  AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request ,  SignedHeaders=host;x-amz-date,"
                + "Signature=abc,, ");

        assertEquals("AK/20130524/us-east-1/s3/aws4_request", parsed.credential());
        assertEquals("host;x-amz-date", parsed.signedHeaders());
        assertEquals("abc", parsed.signature());
        assertEquals(S3Error.AuthorizationHeaderMalformed, assertThrows(S3Exception.class, () ->
            AuthorizationHeader.parse("AWS4-HMAC-SHA256 Credential=a,,SignedHeaders=b,Signature=c")).error());
        assertEquals(S3Error.AuthorizationHeaderMalformed, assertThrows(S3Exception.class, () ->
            AuthorizationHeader.parse("AWS4-HMAC-SHA256 Credential=a,Bogus=b,SignedHeaders=b,Signature=c")).error());
        assertEquals(S3Error.InvalidRequest, assertThrows(S3Exception.class, () ->
            AuthorizationHeader.parse("AWS4-HMAC-SHA256")).error());
    }
}
