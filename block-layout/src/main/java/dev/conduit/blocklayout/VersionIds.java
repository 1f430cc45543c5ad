package dev.conduit.blocklayout;

import dev.conduit.core.ErrorCode;

/**
 * Version ids as S3 clients see them: {@code "null"} for the null version (id 0), otherwise the id
 * as 16 lowercase hex digits, so ids sort by age as text as well as by number. Clients treat them as
 * opaque strings.
 */
public final class VersionIds
{
    /** The id S3 gives the version written while versioning was off or suspended. */
    public static final String NULL = "null";
    private static final int DIGITS = 16;

    private VersionIds()
    {
    }

    /**
     * @param versionId an id; 0 for the null version.
     * @return its text.
     */
    public static String format(final long versionId)
    {
        if (versionId == 0)
        {
            return NULL;
        }
        final String hex = Long.toHexString(versionId);
        return "0".repeat(DIGITS - hex.length()) + hex;
    }

    /**
     * @param text a version id from a client.
     * @return the id; 0 for {@code "null"}.
     * @throws dev.conduit.core.ConduitException {@code INVALID_ARGUMENT} when it is not one this store makes.
     */
    public static long parse(final String text)
    {
        if (NULL.equals(text))
        {
            return 0;
        }
        if (text == null || text.length() != DIGITS)
        {
            throw invalid(text);
        }
        try
        {
            final long id = Long.parseUnsignedLong(text, 16);
            if (id == 0)
            {
                throw invalid(text);
            }
            return id;
        }
        catch (final NumberFormatException e)
        {
            throw invalid(text);
        }
    }

    private static RuntimeException invalid(final String text)
    {
        return LayoutErrors.error(ErrorCode.INVALID_ARGUMENT, "invalid version id: " + text);
    }
}
