package dev.conduit.objecttier.bucket;

import java.time.Instant;

/**
 * One uploaded part.
 *
 * @param partNumber   1..10000.
 * @param etag         the part's ETag (MD5 hex, unquoted).
 * @param sizeBytes    its length.
 * @param lastModified when it was uploaded.
 */
public record PartInfo(int partNumber, String etag, long sizeBytes, Instant lastModified)
{
}
