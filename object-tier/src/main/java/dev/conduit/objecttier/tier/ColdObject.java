package dev.conduit.objecttier.tier;

import java.time.Instant;

import dev.conduit.objecttier.bucket.S3Metadata;

/**
 * An object as the cold tier describes it (HEAD or the head of a GET).
 *
 * @param key          the local key.
 * @param sizeBytes    its whole length.
 * @param etag         the cold ETag, unquoted.
 * @param lastModified the cold Last-Modified.
 * @param metadata     content headers and user metadata (tags are not read back).
 */
public record ColdObject(String key, long sizeBytes, String etag, Instant lastModified, S3Metadata metadata)
{
    /**
     * @return whether this is a folder marker: a key ending in {@code /}, which consoles and tools create empty
     *         for "folders", and S3Proxy's filesystem backend lists for each of its directories (4096 bytes). A
     *         listing shows it as an object, as S3 does; a prefetch has no data to fetch for it.
     */
    public boolean isFolderMarker()
    {
        return key.endsWith("/");
    }
}
