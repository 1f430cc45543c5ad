package dev.conduit.objecttier.auth;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static dev.conduit.objecttier.auth.AwsDocExamples.SIGNED_AT;
import static dev.conduit.objecttier.auth.SigV4VerifierTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signatures AWS publishes in the S3 API reference, verified byte for byte: no SDK involved. */
class SigV4VerifierAwsExamplesTest
{
    private static final String GET_OBJECT_SIGNATURE =
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

    private final SigV4Verifier verifier = AwsDocExamples.verifier(SIGNED_AT);

    @Test
    void shouldVerifyDocumentedGetObject()
    {
        final HttpRequest request = AwsDocExamples.get("/test.txt", "host;range;x-amz-content-sha256;x-amz-date",
            GET_OBJECT_SIGNATURE);
        request.headers().set("Range", "bytes=0-9");

        assertEquals(AwsDocExamples.ACCESS_KEY, verifier.verify(request).accessKeyId());

        request.headers().set("Range", "bytes=0-10");
        assertRejected(S3Error.SignatureDoesNotMatch, () -> verifier.verify(request));
    }

    @Test
    void shouldVerifyDocumentedPutObjectWithUnescapedDollarAndDateHeader()
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/test$file.text");
        request.headers()
            .set("Host", "examplebucket.s3.amazonaws.com")
            .set("Date", "Fri, 24 May 2013 00:00:00 GMT")
            .set("x-amz-date", "20130524T000000Z")
            .set("x-amz-storage-class", "REDUCED_REDUNDANCY")
            .set("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
            .set("Authorization", AwsDocExamples.authorization(
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));

        final AuthResult auth = verifier.verify(request);

        assertEquals(PayloadMode.SIGNED, auth.payloadMode());
        assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", auth.payloadSha256());
    }

    @Test
    void shouldVerifyDocumentedBucketQueries()
    {
        final String signedHeaders = "host;x-amz-content-sha256;x-amz-date";

        assertEquals(AwsDocExamples.ACCESS_KEY, verifier.verify(AwsDocExamples.get("/?lifecycle", signedHeaders,
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")).accessKeyId());
        assertEquals(AwsDocExamples.ACCESS_KEY, verifier.verify(AwsDocExamples.get("/?max-keys=2&prefix=J",
            signedHeaders, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")).accessKeyId());
        assertEquals(AwsDocExamples.ACCESS_KEY, verifier.verify(AwsDocExamples.get("/?prefix=J&max-keys=2",
            signedHeaders, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")).accessKeyId());
    }

    @Test
    void shouldVerifyDocumentedPresignedUrlWithinItsDay()
    {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
            "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
        request.headers().set("Host", "examplebucket.s3.amazonaws.com");

        assertTrue(AwsDocExamples.verifier(SIGNED_AT.plusSeconds(86_400)).verify(request).presigned());
        final S3Exception expired = assertRejected(S3Error.AccessDenied,
            () -> AwsDocExamples.verifier(SIGNED_AT.plusSeconds(86_401)).verify(request));
        assertEquals("Request has expired", expired.getMessage());
    }

    @Test
    void shouldVerifyDocumentedChunkedSeedSignature()
    {
        final AuthResult auth = verifier.verify(AwsDocExamples.chunkedPut());

        assertEquals(PayloadMode.STREAMING_SIGNED, auth.payloadMode());
        assertNotNull(auth.chunkChain());
    }
}
