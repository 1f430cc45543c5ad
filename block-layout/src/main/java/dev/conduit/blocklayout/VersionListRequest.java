package dev.conduit.blocklayout;

/**
 * One page of a version listing (S3 ListObjectVersions): every version and delete marker of keys
 * with {@code prefix}, in key order and newest first within a key, after the position
 * ({@code keyMarker}, {@code versionIdMarker}).
 *
 * @param prefix          key prefix; empty for all keys.
 * @param keyMarker       start after this key (all its versions) or, with {@code versionIdMarker},
 *                        after that version of it; empty to start at the beginning.
 * @param versionIdMarker a version id of {@code keyMarker} ({@link VersionIds} text); empty for none.
 * @param limit           page size, 1..{@link ListRequest#MAX_LIMIT}.
 * @param skipPrefix      when not empty, the page starts after every key that begins with it
 *                        (a common prefix the previous page rolled up), or later when the markers say so.
 */
public record VersionListRequest(String prefix, String keyMarker, String versionIdMarker, int limit, String skipPrefix)
{
    /** Normalises nulls and checks the limit. */
    public VersionListRequest
    {
        prefix = prefix == null ? "" : prefix;
        keyMarker = keyMarker == null ? "" : keyMarker;
        versionIdMarker = versionIdMarker == null ? "" : versionIdMarker;
        skipPrefix = skipPrefix == null ? "" : skipPrefix;
        if (limit < 1 || limit > ListRequest.MAX_LIMIT)
        {
            throw new IllegalArgumentException("limit must be between 1 and " + ListRequest.MAX_LIMIT + ": " + limit);
        }
    }

    /**
     * @param prefix key prefix.
     * @param limit  page size.
     * @return a request for the first page.
     */
    public static VersionListRequest of(final String prefix, final int limit)
    {
        return new VersionListRequest(prefix, "", "", limit, "");
    }

    /**
     * @param page the previous page (truncated).
     * @return the request for the page after it (a skipped prefix is no longer skipped).
     */
    public VersionListRequest after(final VersionPage page)
    {
        return new VersionListRequest(prefix, page.nextKeyMarker(), page.nextVersionIdMarker(), limit, "");
    }

    /**
     * @param skipped a prefix whose every key the page must not contain.
     * @return this request starting after every key that begins with {@code skipped}.
     */
    public VersionListRequest afterPrefix(final String skipped)
    {
        return new VersionListRequest(prefix, keyMarker, versionIdMarker, limit, skipped);
    }
}
