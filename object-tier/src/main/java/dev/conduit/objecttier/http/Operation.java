package dev.conduit.objecttier.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request asks for, as named in S3's API reference; the name is what metrics and the access
 * log show.
 */
public enum Operation
{
    /** GET /. */
    ListBuckets,
    /** PUT /bucket. */
    CreateBucket,
    /** HEAD /bucket. */
    HeadBucket,
    /** DELETE /bucket. */
    DeleteBucket,
    /** GET /bucket?location. */
    GetBucketLocation,
    /** GET /bucket?acl. */
    GetBucketAcl,
    /** PUT /bucket?acl. */
    PutBucketAcl,
    /** GET /bucket?versioning. */
    GetBucketVersioning,
    /** PUT /bucket?versioning. */
    PutBucketVersioning,
    /** GET /bucket?lifecycle. */
    GetBucketLifecycleConfiguration,
    /** PUT /bucket?lifecycle. */
    PutBucketLifecycleConfiguration,
    /** DELETE /bucket?lifecycle. */
    DeleteBucketLifecycle,
    /** GET /bucket. */
    ListObjects,
    /** GET /bucket?list-type=2. */
    ListObjectsV2,
    /** GET /bucket?versions. */
    ListObjectVersions,
    /** GET /bucket?uploads. */
    ListMultipartUploads,
    /** POST /bucket?delete. */
    DeleteObjects,
    /** PUT /bucket/key. */
    PutObject,
    /** GET /bucket/key. */
    GetObject,
    /** HEAD /bucket/key. */
    HeadObject,
    /** DELETE /bucket/key. */
    DeleteObject,
    /** PUT /bucket/key with x-amz-copy-source. */
    CopyObject,
    /** GET /bucket/key?tagging. */
    GetObjectTagging,
    /** PUT /bucket/key?tagging. */
    PutObjectTagging,
    /** DELETE /bucket/key?tagging. */
    DeleteObjectTagging,
    /** POST /bucket/key?uploads. */
    CreateMultipartUpload,
    /** PUT /bucket/key?partNumber=N&amp;uploadId=U. */
    UploadPart,
    /** UploadPart with x-amz-copy-source. */
    UploadPartCopy,
    /** POST /bucket/key?uploadId=U. */
    CompleteMultipartUpload,
    /** DELETE /bucket/key?uploadId=U. */
    AbortMultipartUpload,
    /** GET /bucket/key?uploadId=U. */
    ListParts,
    /** GET /_conduit/metrics. */
    Metrics,
    /** GET /_conduit/health. */
    Health,
    /** GET or POST /_conduit/tier[/attach|detach|prefetch]: tier administration, SigV4-authenticated. */
    TierAdmin,
    /** A sub-resource or method combination Conduit does not serve (501 or 405). */
    Unsupported,
    /** The request could not be decoded. */
    BadRequest;

    private static final Operation[] VALUES = values();

    /** @return every operation's name, by ordinal (the metric label values). */
    public static List<String> names()
    {
        final List<String> names = new ArrayList<>(VALUES.length);
        for (final Operation operation : VALUES)
        {
            names.add(operation.name());
        }
        return names;
    }

    /** @return whether the operation reads or writes an object (the key is part of the request). */
    public boolean isObjectLevel()
    {
        return ordinal() >= PutObject.ordinal() && ordinal() <= ListParts.ordinal();
    }
}
