package dev.conduit.bench.s3;

import java.util.Locale;

/** What the measured requests are: GETs, PUTs, or a mix of both in a given proportion. */
public enum S3Mode
{
    /** GET of whole objects. */
    GET,
    /** PUT of whole objects, overwriting the set. */
    PUT,
    /** GETs with probability {@code --get-ratio}, PUTs otherwise. */
    MIXED;

    /**
     * @param text {@code get}, {@code put} or {@code mixed} (any case).
     * @return the mode.
     * @throws IllegalArgumentException for anything else.
     */
    public static S3Mode parse(final String text)
    {
        for (final S3Mode mode : values())
        {
            if (mode.name().equalsIgnoreCase(text.strip()))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("--mode must be get, put or mixed with an s3:// target: " + text);
    }

    /** @return the name as typed on the command line. */
    public String cliName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
