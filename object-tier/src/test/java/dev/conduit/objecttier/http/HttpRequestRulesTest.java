package dev.conduit.objecttier.http;

import java.time.Instant;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The request rules that need no server: ranges, conditional precedence, key checks. */
class HttpRequestRulesTest
{
    private static final Instant MODIFIED = Instant.parse("2026-06-01T10:00:00Z");

    @Test
    void shouldResolveRangesLikeS3()
    {
        assertEquals(new ByteRange(10, 11), ByteRange.parse("bytes=10-20", 100));
        assertEquals(new ByteRange(90, 10), ByteRange.parse("bytes=90-200", 100));
        assertEquals(new ByteRange(95, 5), ByteRange.parse("bytes=95-", 100));
        assertEquals(new ByteRange(70, 30), ByteRange.parse("bytes=-30", 100));
        assertEquals(new ByteRange(0, 100), ByteRange.parse("bytes=-300", 100));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=100-", 100));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 100));
        assertNull(ByteRange.parse("bytes=20-10", 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100));
        assertNull(ByteRange.parse("items=0-1", 100));
        assertNull(ByteRange.parse(null, 100));
        assertEquals("bytes 10-20/100", new ByteRange(10, 11).contentRange(100));
    }

    @Test
    void shouldApplyConditionalPrecedence()
    {
        assertEquals(Preconditions.Outcome.PROCEED, evaluate("If-Match", "\"abc\"", "If-Unmodified-Since",
            "Sun, 01 Jan 2006 00:00:00 GMT"));
        assertEquals(412, assertThrows(S3Exception.class, () -> evaluate("If-Match",
            "\"other\"")).error().httpStatus());
        assertEquals(S3Error.PreconditionFailed,
            assertThrows(S3Exception.class, () -> evaluate("If-Unmodified-Since",
                "Sun, 01 Jan 2006 00:00:00 GMT")).error());
        assertEquals(Preconditions.Outcome.NOT_MODIFIED, evaluate("If-None-Match", "W/\"abc\""));
        assertEquals(Preconditions.Outcome.PROCEED, evaluate("If-None-Match", "\"x\"", "If-Modified-Since",
            "Fri, 01 Jan 2100 00:00:00 GMT"));
        assertEquals(Preconditions.Outcome.NOT_MODIFIED, evaluate("If-Modified-Since",
            "Mon, 01 Jun 2026 10:00:00 GMT"));
        assertEquals(Preconditions.Outcome.PROCEED, evaluate("If-Modified-Since", "Mon, 01 Jun 2026 09:59:59 GMT"));
        assertEquals(Preconditions.Outcome.PROCEED, evaluate("If-Modified-Since", "not a date"));
        assertEquals(Preconditions.Outcome.NOT_MODIFIED, evaluate("If-None-Match", "*"));
    }

    private static Preconditions.Outcome evaluate(final String... headerPairs)
    {
        final HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2)
        {
            headers.set(headerPairs[i], headerPairs[i + 1]);
        }
        return Preconditions.evaluate(headers, "abc", MODIFIED);
    }

    @Test
    void shouldRefuseDangerousKeys()
    {
        ObjectKeys.validate("a/b/c..d/..e");
        assertEquals(S3Error.InvalidArgument, assertThrows(S3Exception.class,
            () -> ObjectKeys.validate("a/../b")).error());
        assertEquals(S3Error.InvalidArgument, assertThrows(S3Exception.class, () -> ObjectKeys.validate("..")).error());
        assertEquals(S3Error.InvalidArgument, assertThrows(S3Exception.class,
            () -> ObjectKeys.validate("a\0b")).error());
        assertEquals(S3Error.KeyTooLongError, assertThrows(S3Exception.class,
            () -> ObjectKeys.validate("é".repeat(513))).error());
        ObjectKeys.validate("k".repeat(1024));
    }

    @Test
    void shouldDropAwsChunkedFromTheStoredContentEncoding()
    {
        assertEquals("gzip", ObjectHeaders.contentEncodingWithoutAwsChunked("aws-chunked,gzip"));
        assertEquals("", ObjectHeaders.contentEncodingWithoutAwsChunked("aws-chunked"));
        assertEquals("br", ObjectHeaders.contentEncodingWithoutAwsChunked("br"));
    }
}
