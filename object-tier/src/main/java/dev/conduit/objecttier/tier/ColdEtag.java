package dev.conduit.objecttier.tier;

import java.util.HexFormat;

/**
 * A cold ETag read as S3 makes them: the MD5 of a single-part object's bytes (32 hex digits), or
 * for a multipart upload the MD5 of its parts' MD5s followed by {@code -N}. Other servers' opaque
 * ETags parse to null: a fill then has nothing to check or keep but the bytes' own MD5.
 *
 * @param md5       the 16 bytes of either MD5.
 * @param partCount the {@code -N} of a multipart ETag, 0 for a single-part one.
 */
record ColdEtag(byte[] md5, int partCount)
{
    private static final int MD5_HEX_CHARS = 32;
    private static final int MAX_PARTS = 10_000;

    /**
     * @param etag a cold ETag, unquoted.
     * @return what it says, or null when it is neither form.
     */
    static ColdEtag parse(final String etag)
    {
        final int dash = etag.indexOf('-');
        final String hex = dash < 0 ? etag : etag.substring(0, dash);
        if (hex.length() != MD5_HEX_CHARS || dash >= 0 && !digitsAfter(etag, dash))
        {
            return null;
        }
        try
        {
            final int parts = dash < 0 ? 0 : Integer.parseInt(etag, dash + 1, etag.length(), 10);
            if (dash >= 0 && (parts < 1 || parts > MAX_PARTS))
            {
                return null;
            }
            return new ColdEtag(HexFormat.of().parseHex(hex), parts);
        }
        catch (final IllegalArgumentException e)
        {
            // Not hex, or a part count past an int: an opaque ETag.
            return null;
        }
    }

    private static boolean digitsAfter(final String etag, final int dash)
    {
        if (dash == etag.length() - 1)
        {
            return false;
        }
        for (int i = dash + 1; i < etag.length(); i++)
        {
            if (etag.charAt(i) < '0' || etag.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    /** @return whether this is a multipart upload's ETag, which no MD5 of the content reproduces. */
    boolean multipart()
    {
        return partCount > 0;
    }
}
