package dev.conduit.objecttier.auth;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * Builds the SigV4 canonical request of an S3 request:
 * <pre>
 * METHOD \n canonical-path \n canonical-query \n canonical-headers \n \n signed-headers \n payload-hash
 * </pre>
 * with each signed header as {@code name:value\n}, values trimmed, inner runs of spaces collapsed
 * to one and repeated headers joined with ','.
 */
final class CanonicalRequest
{
    private CanonicalRequest()
    {
    }

    /**
     * @param rawPath true to take the path exactly as sent instead of re-encoding it.
     */
    static void append(
        final StringBuilder out,
        final String method,
        final String uri,
        final boolean rawPath,
        final QueryParameters query,
        final String excludedParameter,
        final HttpHeaders headers,
        final String signedHeaders,
        final String payloadHash)
    {
        out.append(method).append('\n');
        final int pathStart = pathStart(uri);
        final int pathEnd = pathEnd(uri);
        if (pathEnd == pathStart)
        {
            out.append('/');
        }
        else if (rawPath)
        {
            out.append(uri, pathStart, pathEnd);
        }
        else
        {
            UriEncoding.appendCanonical(out, uri, pathStart, pathEnd, true);
        }
        out.append('\n');
        query.appendCanonical(out, excludedParameter);
        out.append('\n');
        int start = 0;
        while (start <= signedHeaders.length())
        {
            int end = signedHeaders.indexOf(';', start);
            if (end < 0)
            {
                end = signedHeaders.length();
            }
            final String name = signedHeaders.substring(start, end);
            out.append(name).append(':');
            appendValues(out, headers.getAll(name));
            out.append('\n');
            start = end + 1;
        }
        out.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    }

    /** @return true when the path as sent differs from its re-encoded form (worth a second try). */
    static boolean pathDiffersWhenRaw(final String uri)
    {
        final int pathStart = pathStart(uri);
        final int pathEnd = pathEnd(uri);
        final StringBuilder sb = new StringBuilder(pathEnd - pathStart + 16);
        UriEncoding.appendCanonical(sb, uri, pathStart, pathEnd, true);
        return pathEnd > pathStart && !uri.substring(pathStart, pathEnd).contentEquals(sb);
    }

    /** Skips the scheme and authority of an absolute-form request-target. */
    private static int pathStart(final String uri)
    {
        if (uri.startsWith("http://") || uri.startsWith("https://"))
        {
            final int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            return slash < 0 ? pathEnd(uri) : slash;
        }
        return 0;
    }

    private static int pathEnd(final String uri)
    {
        final int question = uri.indexOf('?');
        return question < 0 ? uri.length() : question;
    }

    private static void appendValues(final StringBuilder out, final List<String> values)
    {
        for (int v = 0; v < values.size(); v++)
        {
            if (v > 0)
            {
                out.append(',');
            }
            final String value = values.get(v);
            int end = value.length();
            while (end > 0 && isSpace(value.charAt(end - 1)))
            {
                end--;
            }
            int i = 0;
            while (i < end && isSpace(value.charAt(i)))
            {
                i++;
            }
            boolean inSpace = false;
            for (; i < end; i++)
            {
                final char c = value.charAt(i);
                if (isSpace(c))
                {
                    inSpace = true;
                    continue;
                }
                if (inSpace)
                {
                    out.append(' ');
                    inSpace = false;
                }
                out.append(c);
            }
        }
    }

    private static boolean isSpace(final char c)
    {
        return c == ' ' || c == '\t';
    }
}
