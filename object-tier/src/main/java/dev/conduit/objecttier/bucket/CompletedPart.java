package dev.conduit.objecttier.bucket;

/**
 * A part named in CompleteMultipartUpload.
 *
 * @param partNumber the part number.
 * @param etag       the ETag the client got for it (quotes allowed; they are ignored).
 */
public record CompletedPart(int partNumber, String etag)
{
}
