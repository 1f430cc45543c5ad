package dev.conduit.objecttier.bucket;

/**
 * ETags as clients send them back: in HTTP's quotes or without, hex in either case. The store's
 * ETag ({@link dev.conduit.blocklayout.ObjectRecord#etag()}) is unquoted lower-case hex, with
 * {@code -N} for a multipart object.
 */
final class Etags
{
    private Etags()
    {
    }

    /**
     * @param fromClient an ETag a client sent (CompleteMultipartUpload, a copy's if-match).
     * @param stored     the record's ETag.
     * @return whether they name the same content.
     */
    static boolean same(final String fromClient, final String stored)
    {
        return fromClient != null && unquote(fromClient.strip()).equalsIgnoreCase(stored);
    }

    /**
     * @param ifMatch an {@code If-Match}-style condition: {@code *} or an ETag.
     * @param stored  the record's ETag.
     * @return whether the condition holds for an existing object with that ETag.
     */
    static boolean ifMatch(final String ifMatch, final String stored)
    {
        return "*".equals(ifMatch.strip()) || same(ifMatch, stored);
    }

    private static String unquote(final String etag)
    {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
