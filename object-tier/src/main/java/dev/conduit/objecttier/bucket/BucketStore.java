package dev.conduit.objecttier.bucket;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.conduit.scheduler.store.ScheduledStore;

/**
 * S3's buckets, objects and multipart uploads over one Conduit store. Thread-safe; every method
 * may block on store I/O, so the HTTP layer calls it off its event loops. Failures are
 * {@link dev.conduit.objecttier.S3Exception}s carrying the S3 error a client expects.
 *
 * <p>CONTRACT FOR THE SESSION'S HELPERS: the signatures below are the agreed API; the bodies are
 * filled in by the bucket-layer work and this note goes away with it.
 */
public final class BucketStore implements AutoCloseable
{
    private final ScheduledStore store;

    /**
     * @param store the store to keep buckets and objects in (not closed by this class).
     */
    public BucketStore(final ScheduledStore store)
    {
        this.store = store;
    }

    /** @return the store underneath. */
    public ScheduledStore store()
    {
        return store;
    }

    // ---- buckets

    /**
     * @param name a bucket name.
     * @return the new bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code InvalidBucketName}, {@code BucketAlreadyOwnedByYou}.
     */
    public BucketInfo createBucket(final String name)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param name a bucket name.
     * @return the bucket, if it exists.
     */
    public Optional<BucketInfo> bucket(final String name)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param name a bucket name.
     * @return the bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public BucketInfo requireBucket(final String name)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /** @return every bucket, by name. */
    public List<BucketInfo> listBuckets()
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Deletes an empty bucket (in-progress multipart uploads are aborted with it).
     *
     * @param name the bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}, {@code BucketNotEmpty}.
     */
    public void deleteBucket(final String name)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param name       the bucket.
     * @param publicRead whether anonymous GET/HEAD of its objects is allowed.
     * @return the bucket as changed.
     */
    public BucketInfo setPublicRead(final String name, final boolean publicRead)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    // ---- objects

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return the current version's S3 view, if there is one.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public Optional<S3Object> head(final String bucket, final String key)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Opens the current version for reading; the caller closes the result.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @return the object and a handle pinned to its version.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}, {@code NoSuchKey}.
     */
    public OpenObject open(final String bucket, final String key)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Starts a PutObject.
     *
     * @param bucket            the bucket.
     * @param key               the key (validated: at most 1024 UTF-8 bytes, no NUL, no {@code ..} segment).
     * @param metadata          what the object will carry.
     * @param declaredSizeBytes the decoded content length, or -1 when unknown.
     * @param ifAbsent          {@code If-None-Match: *}: commit fails with {@code PreconditionFailed}
     *                          if the key exists at commit time (checked atomically with the commit).
     * @return the upload; the caller appends, then commits or closes.
     */
    public ObjectUpload beginPut(final String bucket, final String key, final S3Metadata metadata, final long declaredSizeBytes, final boolean ifAbsent)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return whether an object was deleted (S3 answers 204 either way).
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public boolean delete(final String bucket, final String key)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * CopyObject. Copying an object onto itself with {@link MetadataDirective#REPLACE} rewrites
     * only its metadata (no data is copied).
     *
     * @param sourceBucket source bucket.
     * @param sourceKey    source key.
     * @param targetBucket destination bucket.
     * @param targetKey    destination key.
     * @param directive    COPY keeps the source's metadata (tags included); REPLACE takes {@code replacement}.
     * @param replacement  the metadata to use with REPLACE (ignored with COPY).
     * @param sourceEtagIfMatch when not empty, the copy fails with {@code PreconditionFailed} unless
     *                          the source version read has this ETag.
     * @return the new object.
     */
    public S3Object copy(
        final String sourceBucket,
        final String sourceKey,
        final String targetBucket,
        final String targetKey,
        final MetadataDirective directive,
        final S3Metadata replacement,
        final String sourceEtagIfMatch)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Replaces an object's tags without touching its data.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @param tags   the new tag set (S3 rules: at most 10, key ≤ 128, value ≤ 256 characters).
     * @return the object as changed.
     */
    public S3Object putTagging(final String bucket, final String key, final Map<String, String> tags)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Lists a bucket.
     *
     * @param bucket the bucket.
     * @param query  prefix, delimiter, start-after, max keys.
     * @return one page.
     */
    public ListResult list(final String bucket, final ListQuery query)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    // ---- multipart

    /**
     * @param bucket   the bucket.
     * @param key      the key.
     * @param metadata what the completed object will carry.
     * @return the new upload.
     */
    public MultipartUpload createUpload(final String bucket, final String key, final S3Metadata metadata)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * Starts UploadPart; committing the returned upload stores the part (replacing an earlier
     * part with the same number).
     *
     * @param bucket            the bucket.
     * @param key               the upload's key.
     * @param uploadId          the upload.
     * @param partNumber        1..10000.
     * @param declaredSizeBytes the part's length, or -1 when unknown.
     * @return the part upload.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchUpload}, {@code InvalidArgument}.
     */
    public ObjectUpload beginPart(final String bucket, final String key, final String uploadId, final int partNumber, final long declaredSizeBytes)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * UploadPartCopy.
     *
     * @param bucket       the upload's bucket.
     * @param key          the upload's key.
     * @param uploadId     the upload.
     * @param partNumber   the part number.
     * @param sourceBucket the source bucket.
     * @param sourceKey    the source key.
     * @param offsetBytes  first source byte.
     * @param lengthBytes  bytes to copy, or -1 for the rest of the object.
     * @return the part.
     */
    public PartInfo copyPart(
        final String bucket,
        final String key,
        final String uploadId,
        final int partNumber,
        final String sourceBucket,
        final String sourceKey,
        final long offsetBytes,
        final long lengthBytes)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * CompleteMultipartUpload: the object becomes visible with ETag {@code md5(part md5s)-N}; the
     * parts' extents become the object's (no data copied where the part sizes allow it).
     *
     * @param bucket   the bucket.
     * @param key      the key.
     * @param uploadId the upload.
     * @param parts    the parts in the order given by the client.
     * @return the new object.
     * @throws dev.conduit.objecttier.S3Exception {@code InvalidPart}, {@code InvalidPartOrder},
     *         {@code EntityTooSmall}, {@code NoSuchUpload}.
     */
    public S3Object completeUpload(final String bucket, final String key, final String uploadId, final List<CompletedPart> parts)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param bucket   the bucket.
     * @param key      the key.
     * @param uploadId the upload to abort; its parts are freed.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchUpload}.
     */
    public void abortUpload(final String bucket, final String key, final String uploadId)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param bucket           the bucket.
     * @param key              the key.
     * @param uploadId         the upload.
     * @param partNumberMarker list parts after this number (0 = from the first).
     * @param maxParts         page size (1..1000).
     * @return one page of parts.
     */
    public PartListing listParts(final String bucket, final String key, final String uploadId, final int partNumberMarker, final int maxParts)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    /**
     * @param bucket         the bucket.
     * @param prefix         key prefix.
     * @param delimiter      roll-up delimiter ("" = none).
     * @param keyMarker      continue after this key ("" = start).
     * @param uploadIdMarker with keyMarker, continue after this upload of that key.
     * @param maxUploads     page size (1..1000).
     * @return one page of uploads.
     */
    public UploadListing listUploads(
        final String bucket,
        final String prefix,
        final String delimiter,
        final String keyMarker,
        final String uploadIdMarker,
        final int maxUploads)
    {
        throw new UnsupportedOperationException("bucket layer");
    }

    @Override
    public void close()
    {
        // Nothing of its own yet; the store belongs to the caller.
    }
}
