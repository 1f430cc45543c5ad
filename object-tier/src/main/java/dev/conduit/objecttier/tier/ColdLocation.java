package dev.conduit.objecttier.tier;

/**
 * A cold S3 location: a bucket and an optional key prefix ({@code s3://cold-bucket/some/prefix}).
 * Local key {@code k} lives at cold key {@code prefix + k}; a non-empty prefix always ends in {@code /}.
 *
 * @param bucket the cold bucket.
 * @param prefix "" or a prefix ending in {@code /}.
 */
public record ColdLocation(String bucket, String prefix)
{
    private static final String SCHEME = "s3://";

    /** Normalises the prefix. */
    public ColdLocation
    {
        if (bucket == null || bucket.isEmpty() || bucket.indexOf('/') >= 0)
        {
            throw new IllegalArgumentException("cold bucket must be a bucket name: " + bucket);
        }
        prefix = prefix == null ? "" : prefix;
        while (prefix.startsWith("/"))
        {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/"))
        {
            prefix = prefix + "/";
        }
    }

    /**
     * @param uri {@code s3://BUCKET[/PREFIX]}.
     * @return the location.
     * @throws IllegalArgumentException when it is not of that form.
     */
    public static ColdLocation parse(final String uri)
    {
        if (uri == null || !uri.startsWith(SCHEME) || uri.length() == SCHEME.length())
        {
            throw new IllegalArgumentException("a cold location is s3://BUCKET[/PREFIX]: " + uri);
        }
        final String rest = uri.substring(SCHEME.length());
        final int slash = rest.indexOf('/');
        return slash < 0 ? new ColdLocation(rest, "") : new ColdLocation(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /**
     * @param localKey a key of the local bucket.
     * @return its key in the cold bucket.
     */
    public String coldKey(final String localKey)
    {
        return prefix + localKey;
    }

    /**
     * @param coldKey a key under {@link #prefix()}.
     * @return the local key.
     */
    public String localKey(final String coldKey)
    {
        return coldKey.substring(prefix.length());
    }

    @Override
    public String toString()
    {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
