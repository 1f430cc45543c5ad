package dev.conduit.objecttier.http;

import java.time.Instant;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The conditional headers of a GET or HEAD, with S3's precedence (RFC 7232, section 6):
 * If-Match decides alone when present (If-Unmodified-Since is then ignored), else
 * If-Unmodified-Since; a failure there is 412. Then If-None-Match decides alone when present
 * (If-Modified-Since is then ignored), else If-Modified-Since; a failure there is 304.
 */
final class Preconditions
{
    /** What the conditions say. */
    enum Outcome
    {
        /** Serve the object. */
        PROCEED,
        /** Answer 304 Not Modified. */
        NOT_MODIFIED
    }

    private Preconditions()
    {
    }

    /**
     * @param headers      the request headers.
     * @param etag         the object's ETag, unquoted.
     * @param lastModified the object's last-modified time.
     * @return whether to serve or answer 304.
     * @throws S3Exception PreconditionFailed (412).
     */
    static Outcome evaluate(final HttpHeaders headers, final String etag, final Instant lastModified)
    {
        final long modifiedSeconds = lastModified.getEpochSecond();
        final String ifMatch = headers.get(HttpHeaderNames.IF_MATCH);
        if (ifMatch != null)
        {
            if (!matches(ifMatch, etag))
            {
                throw S3Exception.of(S3Error.PreconditionFailed, "If-Match");
            }
        }
        else
        {
            final Instant ifUnmodifiedSince = HttpDates.parse(headers.get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
            if (ifUnmodifiedSince != null && modifiedSeconds > ifUnmodifiedSince.getEpochSecond())
            {
                throw S3Exception.of(S3Error.PreconditionFailed, "If-Unmodified-Since");
            }
        }
        final String ifNoneMatch = headers.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null)
        {
            return matches(ifNoneMatch, etag) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        final Instant ifModifiedSince = HttpDates.parse(headers.get(HttpHeaderNames.IF_MODIFIED_SINCE));
        if (ifModifiedSince != null && modifiedSeconds <= ifModifiedSince.getEpochSecond())
        {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * @param header an If-Match / If-None-Match value: {@code *} or a list of (weak or strong) ETags.
     * @param etag   the object's ETag, unquoted.
     * @return whether one of them is the object's.
     */
    static boolean matches(final String header, final String etag)
    {
        for (final String candidate : header.split(","))
        {
            String tag = candidate.trim();
            if ("*".equals(tag))
            {
                return true;
            }
            if (tag.startsWith("W/"))
            {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\""))
            {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(etag))
            {
                return true;
            }
        }
        return false;
    }
}
