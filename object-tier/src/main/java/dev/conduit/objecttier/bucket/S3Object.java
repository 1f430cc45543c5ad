package dev.conduit.objecttier.bucket;

import java.time.Instant;

import dev.conduit.blocklayout.ObjectRecord;

/**
 * One object as S3 sees it: bucket, key, size, ETag (without quotes: 32 hex digits, or
 * {@code hex-N} for a multipart upload), last-modified time, S3 metadata, and the store record
 * behind it (its layout and chunk CRCs are what a GET reads and verifies).
 *
 * @param bucket       the bucket.
 * @param key          the S3 key.
 * @param sizeBytes    content length.
 * @param etag         the ETag, unquoted.
 * @param lastModified when this version was written.
 * @param metadata     S3 metadata.
 * @param record       the store's record of this version.
 */
public record S3Object(String bucket, String key, long sizeBytes, String etag, Instant lastModified, S3Metadata metadata, ObjectRecord record)
{
    /**
     * @param bucket the bucket.
     * @param key    the S3 key.
     * @param record the store's record of the object.
     * @return the S3 view of the record: its ETag, its creation time as last-modified, its metadata decoded.
     */
    static S3Object fromRecord(final String bucket, final String key, final ObjectRecord record)
    {
        return new S3Object(bucket, key, record.sizeBytes(), record.etag(), Instant.ofEpochMilli(record.createdMs()),
            MetadataCodec.decode(record), record);
    }
}
