package dev.conduit.objecttier.bucket;

import java.time.Instant;

/**
 * A multipart upload in progress.
 *
 * @param bucket    the bucket.
 * @param key       the key the upload will create.
 * @param uploadId  opaque id (URL-safe).
 * @param initiated when CreateMultipartUpload ran.
 * @param metadata  the metadata the completed object will carry.
 */
public record MultipartUpload(String bucket, String key, String uploadId, Instant initiated, S3Metadata metadata)
{
}
