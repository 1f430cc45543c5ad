package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/** Numeric query parameters with S3's bounds and errors. */
final class QueryParams
{
    private QueryParams()
    {
    }

    /**
     * @param request      the request.
     * @param name         the parameter.
     * @param defaultValue its value when absent.
     * @param min          smallest allowed.
     * @param max          values above are clamped to this (S3 caps page sizes at 1000).
     * @return the value.
     * @throws S3Exception InvalidArgument when it is not an integer or below {@code min}.
     */
    static int intParam(final S3Request request, final String name, final int defaultValue, final int min,
        final int max)
    {
        final String value = request.param(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed < min)
            {
                throw new NumberFormatException(value);
            }
            return Math.min(parsed, max);
        }
        catch (final NumberFormatException e)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Invalid " + name + ": " + value, name);
        }
    }

    /**
     * @param request the request.
     * @param name    the parameter.
     * @return its value, or "" when absent.
     */
    static String text(final S3Request request, final String name)
    {
        final String value = request.param(name);
        return value == null ? "" : value;
    }
}
