package dev.conduit.objecttier.xml;

/**
 * The request parameters a listing document echoes back: the bucket, the prefix, the delimiter,
 * the page size and whether the client asked for {@code encoding-type=url}.
 *
 * @param bucket      the bucket listed.
 * @param prefix      the prefix asked for ("" = none).
 * @param delimiter   the delimiter asked for ("" = none; the element is then left out).
 * @param maxKeys     the page size in force (max-keys, max-uploads).
 * @param urlEncoding whether keys, prefixes, delimiter and markers are URL-encoded in the answer.
 */
public record ListParams(String bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding)
{
    /** Normalises nulls to "". */
    public ListParams
    {
        prefix = null == prefix ? "" : prefix;
        delimiter = null == delimiter ? "" : delimiter;
    }

    String encoded(final String value)
    {
        return UrlEncoding.apply(value, urlEncoding);
    }
}
