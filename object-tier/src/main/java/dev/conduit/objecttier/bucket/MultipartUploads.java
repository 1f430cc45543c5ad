package dev.conduit.objecttier.bucket;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * S3 multipart uploads over the store: an upload is an empty record holding the future object's
 * metadata ({@link StoreKeys#upload}), each part an ordinary store object ({@link StoreKeys#part}),
 * and completion one {@link ObjectStore#compose} that moves the parts' extents into the object
 * and removes the part records in the same journal batch, so no data is copied.
 *
 * <pre>{@code
 * MultipartUpload u = buckets.createUpload("b", "big", S3Metadata.EMPTY);
 * try (ObjectUpload part = buckets.beginPart("b", "big", u.uploadId(), 1, length))
 * {
 *     part.append(bytes);
 *     etag1 = part.commit(length, null).etag();
 * }
 * buckets.completeUpload("b", "big", u.uploadId(), List.of(new CompletedPart(1, etag1), ...));
 * }</pre>
 *
 * <p>Crash safety: every step is one durable store write. A crash between the compose and the
 * removal of the upload record leaves the object complete and the upload listed with only the
 * parts the client did not name; completing it again answers {@code InvalidPart}, aborting it
 * frees those parts.
 *
 * <p>Threading: any thread. Upload ids are random, so uploads never share records; what touches
 * one upload is ordered by its {@link LockStripes upload lock}.
 */
final class MultipartUploads
{
    /** S3's minimum size of every part but the last. */
    static final long MIN_PART_BYTES = 5L << 20;
    /** S3's highest part number. */
    static final int MAX_PART_NUMBER = 10_000;
    /** Largest page of ListParts and ListMultipartUploads. */
    static final int MAX_PAGE = 1000;

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final int PAGE = 1000;

    private final ObjectStore store;
    private final BucketRecords buckets;
    private final LockStripes locks;
    private final SecureRandom random = new SecureRandom();

    MultipartUploads(final ObjectStore store, final BucketRecords buckets, final LockStripes locks)
    {
        this.store = store;
        this.buckets = buckets;
        this.locks = locks;
    }

    MultipartUpload create(final String bucket, final String key, final S3Metadata metadata)
    {
        buckets.require(bucket);
        NameRules.checkKey(key);
        final ObjectMetadata meta = MetadataCodec.encode(metadata);
        final String uploadId = newUploadId();
        final Lock shared = locks.bucketShared(bucket);
        shared.lock();
        try
        {
            buckets.checkStillExists(bucket);
            final ObjectRecord record = store.put(StoreKeys.upload(bucket, key, uploadId), new byte[0], meta);
            return new MultipartUpload(bucket, key, uploadId, Instant.ofEpochMilli(record.createdMs()), MetadataCodec.decode(record));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, key);
        }
        finally
        {
            shared.unlock();
        }
    }

    ObjectUpload beginPart(final String bucket, final String key, final String uploadId, final int partNumber, final long declaredSizeBytes)
    {
        checkPartNumber(partNumber);
        requireUpload(bucket, key, uploadId);
        final PutSession session;
        try
        {
            session = store.openPut(StoreKeys.part(uploadId, partNumber), ObjectMetadata.NONE,
                declaredSizeBytes < 0 ? PutSession.UNKNOWN_SIZE : declaredSizeBytes);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, uploadId);
        }
        return new StoreUpload(session, declaredSizeBytes, uploadId,
            // A part keeps no metadata (S3's per-part checksums are not stored), so trailer checksums are only verified.
            (s, sizeBytes, md5, checksums, note) -> publishPart(bucket, key, uploadId, s, sizeBytes, md5));
    }

    PartInfo copyPart(
        final String bucket,
        final String key,
        final String uploadId,
        final int partNumber,
        final String sourceBucket,
        final String sourceKey,
        final long offsetBytes,
        final long lengthBytes)
    {
        checkPartNumber(partNumber);
        requireUpload(bucket, key, uploadId);
        buckets.require(sourceBucket);
        NameRules.checkKey(sourceKey);
        try (ObjectReadHandle source = store.openObject(StoreKeys.object(sourceBucket, sourceKey)))
        {
            final long sizeBytes = source.record().sizeBytes();
            final long copyBytes = lengthBytes < 0 ? sizeBytes - offsetBytes : lengthBytes;
            if (offsetBytes < 0 || copyBytes < 0 || offsetBytes + copyBytes > sizeBytes)
            {
                throw new S3Exception(S3Error.InvalidArgument,
                    "Range specified is not valid for source object of size: " + sizeBytes, sourceKey);
            }
            try (PutSession session = store.openPut(StoreKeys.part(uploadId, partNumber), ObjectMetadata.NONE, copyBytes))
            {
                RangeCopier.copy(source, offsetBytes, copyBytes, session);
                final S3Object part = publishPart(bucket, key, uploadId, session, copyBytes, null);
                return new PartInfo(partNumber, part.etag(), part.sizeBytes(), part.lastModified());
            }
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, e.code() == ErrorCode.NOT_FOUND ? sourceKey : uploadId);
        }
    }

    S3Object complete(final String bucket, final String key, final String uploadId, final List<CompletedPart> parts)
    {
        final VersioningMode versioning = buckets.require(bucket).versioning();
        NameRules.checkKey(key);
        if (parts.isEmpty())
        {
            throw new S3Exception(S3Error.MalformedXML, "You must specify at least one part", uploadId);
        }
        final Lock shared = locks.bucketShared(bucket);
        final Lock upload = locks.upload(uploadId);
        shared.lock();
        upload.lock();
        try
        {
            final ObjectRecord uploadRecord = findUpload(bucket, key, uploadId)
                .orElseThrow(() -> S3Exception.of(S3Error.NoSuchUpload, uploadId));
            final List<String> partKeys = checkParts(uploadId, parts);
            final ObjectMetadata meta = new ObjectMetadata(uploadRecord.contentType(), uploadRecord.userMetadata(), versioning);
            final ObjectRecord composed;
            try
            {
                composed = store.compose(StoreKeys.object(bucket, key), partKeys, meta, CommitCondition.NONE);
            }
            catch (final ConduitException e)
            {
                // Under the upload lock no part can change; this is defence, not an expected path.
                if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.PRECONDITION_FAILED)
                {
                    throw new S3Exception(S3Error.InvalidPart, S3Error.InvalidPart.defaultMessage(), uploadId, e);
                }
                throw e;
            }
            removeUpload(bucket, key, uploadId);
            return S3Object.fromRecord(bucket, key, composed);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, uploadId);
        }
        finally
        {
            upload.unlock();
            shared.unlock();
        }
    }

    void abort(final String bucket, final String key, final String uploadId)
    {
        buckets.require(bucket);
        NameRules.checkKey(key);
        final Lock upload = locks.upload(uploadId);
        upload.lock();
        try
        {
            if (findUpload(bucket, key, uploadId).isEmpty())
            {
                throw S3Exception.of(S3Error.NoSuchUpload, uploadId);
            }
            removeUpload(bucket, key, uploadId);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, uploadId);
        }
        finally
        {
            upload.unlock();
        }
    }

    /**
     * Aborts every upload of a bucket being deleted; the caller holds the bucket's exclusive lock,
     * so no new upload can start meanwhile.
     */
    void abortAll(final String bucket)
    {
        final String base = StoreKeys.uploadPrefix(bucket);
        try
        {
            while (true)
            {
                final ListPage page = store.list(ListRequest.of(base, PAGE));
                for (final ObjectRecord record : page.objects())
                {
                    final String uploadId = StoreKeys.uploadId(record.key());
                    final Lock upload = locks.upload(uploadId);
                    upload.lock();
                    try
                    {
                        removeUpload(bucket, StoreKeys.uploadKey(base, record.key()), uploadId);
                    }
                    finally
                    {
                        upload.unlock();
                    }
                }
                if (!page.truncated())
                {
                    return;
                }
            }
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, bucket);
        }
    }

    PartListing listParts(final String bucket, final String key, final String uploadId, final int partNumberMarker, final int maxParts)
    {
        final MultipartUpload upload = requireUpload(bucket, key, uploadId);
        final int max = Math.clamp(maxParts, 0, MAX_PAGE);
        final List<PartInfo> parts = new ArrayList<>();
        if (max == 0)
        {
            return new PartListing(upload, parts, false, 0);
        }
        try
        {
            final String after = partNumberMarker > 0 ? StoreKeys.part(uploadId, Math.min(partNumberMarker, MAX_PART_NUMBER)) : "";
            final ListPage page = store.list(new ListRequest(StoreKeys.partPrefix(uploadId), after, max + 1, Map.of()));
            for (final ObjectRecord record : page.objects())
            {
                parts.add(new PartInfo(StoreKeys.partNumber(record.key()), record.etag(), record.sizeBytes(),
                    Instant.ofEpochMilli(record.createdMs())));
            }
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, uploadId);
        }
        final boolean truncated = parts.size() > max;
        if (truncated)
        {
            parts.removeLast();
        }
        return new PartListing(upload, parts, truncated, truncated ? parts.getLast().partNumber() : 0);
    }

    UploadListing listUploads(
        final String bucket,
        final String prefix,
        final String delimiter,
        final String keyMarker,
        final String uploadIdMarker,
        final int maxUploads)
    {
        buckets.require(bucket);
        final String base = StoreKeys.uploadPrefix(bucket);
        final String storeAfter;
        final String s3After;
        if (keyMarker.isEmpty())
        {
            storeAfter = "";
            s3After = "";
        }
        else if (uploadIdMarker.isEmpty())
        {
            storeAfter = StoreKeys.afterUploadsOf(bucket, keyMarker);
            s3After = keyMarker;
        }
        else
        {
            storeAfter = StoreKeys.upload(bucket, keyMarker, uploadIdMarker);
            s3After = "";
        }
        final RollUpListing.Page page;
        try
        {
            page = RollUpListing.list(store, base, prefix, delimiter, storeAfter, s3After, Math.clamp(maxUploads, 0, MAX_PAGE),
                storeKey -> StoreKeys.uploadKey(base, storeKey));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, bucket);
        }
        final RollUpListing.Split<MultipartUpload> split = page.split(entry -> upload(bucket, entry.s3Key(), entry.record()));
        if (!page.truncated())
        {
            return new UploadListing(split.items(), split.commonPrefixes(), false, "", "");
        }
        final RollUpListing.Entry last = page.entries().getLast();
        return new UploadListing(split.items(), split.commonPrefixes(), true, last.s3Key(),
            last.isCommonPrefix() ? "" : StoreKeys.uploadId(last.record().key()));
    }

    /**
     * @return the upload.
     * @throws S3Exception {@code NoSuchBucket}, {@code NoSuchUpload}.
     */
    MultipartUpload requireUpload(final String bucket, final String key, final String uploadId)
    {
        buckets.require(bucket);
        NameRules.checkKey(key);
        try
        {
            return findUpload(bucket, key, uploadId)
                .map(record -> upload(bucket, key, record))
                .orElseThrow(() -> S3Exception.of(S3Error.NoSuchUpload, uploadId));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, uploadId);
        }
    }

    private S3Object publishPart(
        final String bucket, final String key, final String uploadId, final PutSession session, final long sizeBytes, final byte[] md5)
    {
        final Lock shared = locks.bucketShared(bucket);
        final Lock upload = locks.upload(uploadId);
        shared.lock();
        upload.lock();
        try
        {
            // Checked under the locks that completion, abort and bucket deletion hold, so a part never outlives its upload.
            if (findUpload(bucket, key, uploadId).isEmpty())
            {
                throw S3Exception.of(S3Error.NoSuchUpload, uploadId);
            }
            final ObjectRecord record = session.commit(sizeBytes, md5);
            return new S3Object(bucket, key, record.sizeBytes(), record.etag(), Instant.ofEpochMilli(record.createdMs()),
                S3Metadata.EMPTY, record);
        }
        finally
        {
            upload.unlock();
            shared.unlock();
        }
    }

    /** @return the part store keys, after checking order, existence, ETags and sizes as S3 does. */
    private List<String> checkParts(final String uploadId, final List<CompletedPart> parts)
    {
        final List<String> partKeys = new ArrayList<>(parts.size());
        int previous = 0;
        for (int i = 0; i < parts.size(); i++)
        {
            final CompletedPart part = parts.get(i);
            if (part.partNumber() <= previous)
            {
                throw S3Exception.of(S3Error.InvalidPartOrder, uploadId);
            }
            previous = part.partNumber();
            if (part.partNumber() > MAX_PART_NUMBER)
            {
                throw invalidPart(uploadId, part, "there is no such part number");
            }
            final String partKey = StoreKeys.part(uploadId, part.partNumber());
            final ObjectRecord record = store.find(partKey).orElseThrow(() -> invalidPart(uploadId, part, "it was not uploaded"));
            if (!Etags.same(part.etag(), record.etag()))
            {
                throw invalidPart(uploadId, part, "its ETag is " + record.etag());
            }
            if (i < parts.size() - 1 && record.sizeBytes() < MIN_PART_BYTES)
            {
                throw new S3Exception(S3Error.EntityTooSmall, "Part " + part.partNumber() + " is " + record.sizeBytes() +
                    " bytes; every part but the last must be at least " + MIN_PART_BYTES, uploadId);
            }
            partKeys.add(partKey);
        }
        return partKeys;
    }

    /** Removes the upload record first, so a part committed later finds no upload, then every part. */
    private void removeUpload(final String bucket, final String key, final String uploadId)
    {
        store.delete(StoreKeys.upload(bucket, key, uploadId));
        final ListRequest parts = ListRequest.of(StoreKeys.partPrefix(uploadId), PAGE);
        while (true)
        {
            final ListPage page = store.list(parts);
            for (final ObjectRecord record : page.objects())
            {
                store.delete(record.key());
            }
            if (!page.truncated())
            {
                return;
            }
        }
    }

    private Optional<ObjectRecord> findUpload(final String bucket, final String key, final String uploadId)
    {
        if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches())
        {
            return Optional.empty();
        }
        return store.find(StoreKeys.upload(bucket, key, uploadId));
    }

    /** Ids start with the creation time in 12 hex digits, so one key's uploads list in the order they began. */
    private String newUploadId()
    {
        final byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        final String time = Long.toHexString(System.currentTimeMillis());
        return "0".repeat(Math.max(0, 12 - time.length())) + time + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    private static MultipartUpload upload(final String bucket, final String key, final ObjectRecord record)
    {
        return new MultipartUpload(bucket, key, StoreKeys.uploadId(record.key()), Instant.ofEpochMilli(record.createdMs()),
            MetadataCodec.decode(record));
    }

    private static void checkPartNumber(final int partNumber)
    {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER)
        {
            throw new S3Exception(S3Error.InvalidArgument,
                "Part number must be an integer between 1 and " + MAX_PART_NUMBER + ", inclusive", Integer.toString(partNumber));
        }
    }

    private static S3Exception invalidPart(final String uploadId, final CompletedPart part, final String why)
    {
        return new S3Exception(S3Error.InvalidPart,
            "One or more of the specified parts could not be found: part " + part.partNumber() + ": " + why, uploadId);
    }
}
