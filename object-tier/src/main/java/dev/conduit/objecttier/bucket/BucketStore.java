package dev.conduit.objecttier.bucket;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.blocklayout.MetadataQuery;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.blocklayout.VersionIds;
import dev.conduit.blocklayout.VersionListRequest;
import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * S3's buckets, objects and multipart uploads over one Conduit store. Thread-safe; every method
 * may block on store I/O, so the HTTP layer calls it off its event loops. Failures are
 * {@link S3Exception}s carrying the S3 error a client expects (store failures are mapped in one
 * place, {@link StoreErrors}).
 *
 * <pre>{@code
 * try (BucketStore buckets = new BucketStore(scheduled))
 * {
 *     buckets.createBucket("photos");
 *     try (ObjectUpload put = buckets.beginPut("photos", "2024/cat.jpg", metadata, length, false))
 *     {
 *         put.append(body);
 *         final S3Object stored = put.commit(length, contentMd5);
 *     }
 *     try (OpenObject get = buckets.open("photos", "2024/cat.jpg"))
 *     {
 *         // serve get.object()'s headers and get.handle()'s verified bytes
 *     }
 * }
 * }</pre>
 *
 * <p>How S3 maps onto the store (key layout {@link StoreKeys}, metadata {@link MetadataCodec},
 * listing {@link RollUpListing}, multipart {@link MultipartUploads}): every S3 write is one atomic
 * store write, so a crash leaves each object, bucket and upload either as it was or as written.
 * Every object carries the store's guarantees unchanged: CRC-verified reads, MD5 ETags, reads
 * pinned to one version.
 *
 * <p>Why it is long (~940 lines): it is the facade of the S3 data model. Key layout, metadata,
 * listing, multipart uploads, error mapping and lifecycle are already their own classes (above);
 * what is left is one short, documented method per S3 operation, each taking the bucket's lock and
 * re-checking the bucket, which is the invariant a split would scatter.
 *
 * <p>Assumption: this is the only {@code BucketStore} over its store (the data directory's lock
 * keeps other processes out). The few check-then-write sequences are ordered by in-process locks
 * ({@link LockStripes}); conditional writes ({@code IF_ABSENT}, replace-if-version) are atomic in
 * the store itself.
 *
 * <p>Size: the facade S3 operations call, one short documented method each, delegating to
 * {@link BucketRecords}, {@link MultipartUploads} and the listings; its length is the S3 surface
 * (objects, versions, tags, uploads, search). Splitting it by area would be the next seam.
 */
public final class BucketStore implements AutoCloseable
{
    /** Largest page of ListObjects. */
    public static final int MAX_KEYS = 1000;

    /** Response header: the version a request read, wrote or removed. */
    public static final String VERSION_ID_HEADER = "x-amz-version-id";
    /** Response header: the version concerned is a delete marker. */
    public static final String DELETE_MARKER_HEADER = "x-amz-delete-marker";

    /** Tagging re-reads and retries this often when the object is overwritten under it. */
    private static final int TAGGING_ATTEMPTS = 3;

    private final ScheduledStore scheduled;
    private final ObjectStore store;
    private final LockStripes locks = new LockStripes();
    private final DecodedObjects decodedObjects = new DecodedObjects();
    private final BucketRecords buckets;
    private final MultipartUploads multipart;
    /** Versioning state by bucket, for response headers only (writes read the bucket record itself). */
    private final Map<String, VersioningMode> versioningCache = new ConcurrentHashMap<>();

    /**
     * @param store the store to keep buckets and objects in (not closed by this class).
     */
    public BucketStore(final ScheduledStore store)
    {
        this.scheduled = store;
        this.store = store.store();
        this.buckets = new BucketRecords(this.store, locks);
        this.multipart = new MultipartUploads(this.store, buckets, locks);
        // Built now, while nothing is served, rather than under the first search's request.
        this.store.indexMetadata();
    }

    /** @return the store underneath. */
    public ScheduledStore store()
    {
        return scheduled;
    }

    // ---- buckets

    /**
     * @param name a bucket name.
     * @return the new bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code InvalidBucketName}, {@code BucketAlreadyOwnedByYou}.
     */
    public BucketInfo createBucket(final String name)
    {
        final BucketInfo created = buckets.create(name);
        versioningCache.remove(name);
        return created;
    }

    /**
     * PutBucketVersioning.
     *
     * @param name       the bucket.
     * @param versioning ENABLED or SUSPENDED.
     * @return the bucket as changed.
     */
    public BucketInfo setVersioning(final String name, final VersioningMode versioning)
    {
        if (versioning == VersioningMode.OFF)
        {
            throw S3Exception.of(S3Error.IllegalVersioningConfigurationException, name);
        }
        final BucketInfo changed = buckets.setVersioning(name, versioning);
        versioningCache.put(name, versioning);
        return changed;
    }

    /**
     * @param name the bucket.
     * @return its versioning state (cached; for response headers).
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public VersioningMode versioning(final String name)
    {
        final VersioningMode cached = versioningCache.get(name);
        if (cached != null)
        {
            return cached;
        }
        final VersioningMode mode = buckets.require(name).versioning();
        versioningCache.put(name, mode);
        return mode;
    }

    /**
     * @param name a bucket name.
     * @return the bucket, if it exists.
     */
    public Optional<BucketInfo> bucket(final String name)
    {
        return buckets.find(name);
    }

    /**
     * @param name a bucket name.
     * @return the bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public BucketInfo requireBucket(final String name)
    {
        return buckets.require(name);
    }

    /** @return every bucket, by name. */
    public List<BucketInfo> listBuckets()
    {
        return buckets.list();
    }

    /**
     * Deletes an empty bucket (in-progress multipart uploads are aborted with it).
     *
     * @param name the bucket.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}, {@code BucketNotEmpty}.
     */
    public void deleteBucket(final String name)
    {
        buckets.require(name);
        final Lock exclusive = locks.bucketExclusive(name);
        exclusive.lock();
        try
        {
            if (!buckets.exists(name))
            {
                throw S3Exception.of(S3Error.NoSuchBucket, name);
            }
            // Noncurrent versions and delete markers count: S3 refuses to delete a bucket that holds any.
            if (!store.listVersions(VersionListRequest.of(StoreKeys.objectPrefix(name), 1)).versions().isEmpty())
            {
                throw S3Exception.of(S3Error.BucketNotEmpty, name);
            }
            multipart.abortAll(name);
            store.delete(StoreKeys.lifecycle(name));
            buckets.remove(name);
            versioningCache.remove(name);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, name);
        }
        finally
        {
            exclusive.unlock();
        }
    }

    /**
     * @param name       the bucket.
     * @param publicRead whether anonymous GET/HEAD of its objects is allowed.
     * @return the bucket as changed.
     */
    public BucketInfo setPublicRead(final String name, final boolean publicRead)
    {
        return buckets.setPublicRead(name, publicRead);
    }

    // ---- lifecycle

    /**
     * PutBucketLifecycleConfiguration: replaces the bucket's rules (applied by {@link LifecycleSweeper}).
     *
     * @param name  the bucket.
     * @param rules 1..1000 rules.
     */
    public void putLifecycle(final String name, final List<LifecycleRule> rules)
    {
        buckets.require(name);
        final byte[] content = LifecycleCodec.encode(rules);
        try
        {
            inBucket(name, () -> store.put(StoreKeys.lifecycle(name), content, ObjectMetadata.NONE));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, name);
        }
    }

    /**
     * @param name the bucket.
     * @return its lifecycle rules, if it has a configuration.
     */
    public Optional<List<LifecycleRule>> lifecycle(final String name)
    {
        buckets.require(name);
        try
        {
            return store.find(StoreKeys.lifecycle(name)).map(r -> LifecycleCodec.decode(store.getBytes(StoreKeys.lifecycle(name))));
        }
        catch (final ConduitException e)
        {
            // Removed between the find and the read: no configuration.
            if (e.code() == ErrorCode.NOT_FOUND)
            {
                return Optional.empty();
            }
            throw StoreErrors.toS3(e, name);
        }
    }

    /**
     * DeleteBucketLifecycle.
     *
     * @param name the bucket.
     */
    public void deleteLifecycle(final String name)
    {
        buckets.require(name);
        try
        {
            store.delete(StoreKeys.lifecycle(name));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, name);
        }
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
        buckets.require(bucket);
        NameRules.checkKey(key);
        try
        {
            return store.find(StoreKeys.object(bucket, key)).map(record -> S3Object.fromRecord(bucket, key, record));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, key);
        }
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
        return open(bucket, key, (ReadSlot)null);
    }

    /**
     * Opens the current version for reading, reusing what {@code slot} kept from its last open (the
     * store key's bytes, the {@link OpenObject} and its handle) once that one is closed; the caller
     * closes the result before its next open through the slot.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @param slot   the caller's slot, or null to reuse nothing.
     * @return the object and a handle pinned to its version.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}, {@code NoSuchKey}.
     */
    public OpenObject open(final String bucket, final String key, final ReadSlot slot)
    {
        // An object found under a valid bucket name proves the bucket exists (a bucket is deleted only
        // when empty, and nothing is published into a deleted one), so the hot path reads no bucket
        // record; a bad key or a missing object looks the bucket up first, so NoSuchBucket still wins.
        if (!NameRules.isValidBucket(bucket))
        {
            throw S3Exception.of(S3Error.NoSuchBucket, bucket);
        }
        try
        {
            NameRules.checkKey(key);
        }
        catch (final S3Exception e)
        {
            buckets.require(bucket);
            throw e;
        }
        final ObjectReadHandle handle;
        try
        {
            handle = slot == null ? store.openObject(StoreKeys.object(bucket, key))
                : store.openObject(slot.objectKey(bucket, key), slot.reusableHandle());
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.NOT_FOUND)
            {
                buckets.require(bucket);
                throw noSuchKey(bucket, key);
            }
            throw StoreErrors.toS3(e, key);
        }
        return openHandle(bucket, key, handle, slot);
    }

    /**
     * Opens one version for reading (GetObject with {@code versionId}); the caller closes the result.
     *
     * @param bucket    the bucket.
     * @param key       the key.
     * @param versionId a version id, {@code "null"}, or null/empty for the current version.
     * @return the object and a handle pinned to that version.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchVersion}, {@code MethodNotAllowed} (a
     *         delete marker, sent with {@code x-amz-delete-marker: true}), {@code InvalidArgument}.
     */
    public OpenObject open(final String bucket, final String key, final String versionId)
    {
        if (versionId == null || versionId.isEmpty())
        {
            return open(bucket, key);
        }
        buckets.require(bucket);
        NameRules.checkKey(key);
        final long id = parseVersionId(versionId);
        final ObjectReadHandle handle;
        try
        {
            final String storeKey = StoreKeys.object(bucket, key);
            final ObjectRecord version = store.findVersion(storeKey, id)
                .orElseThrow(() -> new S3Exception(S3Error.NoSuchVersion, S3Error.NoSuchVersion.defaultMessage(), key));
            if (version.isDeleteMarker())
            {
                throw S3Exception.of(S3Error.MethodNotAllowed, key)
                    .withHeader(DELETE_MARKER_HEADER, "true").withHeader(VERSION_ID_HEADER, versionId);
            }
            handle = store.openVersion(storeKey, id);
        }
        catch (final ConduitException e)
        {
            throw e.code() == ErrorCode.NOT_FOUND ? S3Exception.of(S3Error.NoSuchVersion, key) : StoreErrors.toS3(e, key);
        }
        return openHandle(bucket, key, handle);
    }

    private OpenObject openHandle(final String bucket, final String key, final ObjectReadHandle handle)
    {
        return openHandle(bucket, key, handle, null);
    }

    private OpenObject openHandle(final String bucket, final String key, final ObjectReadHandle handle, final ReadSlot slot)
    {
        try
        {
            final S3Object object = decodedObjects.of(bucket, key, handle.record());
            return slot == null ? new OpenObject(object, handle) : slot.open(object, handle);
        }
        catch (final RuntimeException e)
        {
            handle.close();
            throw e;
        }
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
        final VersioningMode versioning = buckets.require(bucket).versioning();
        NameRules.checkKey(key);
        final ObjectMetadata meta = MetadataCodec.encode(metadata).withVersioning(versioning);
        final PutSession session;
        try
        {
            final long sizeBytes = declaredSizeBytes < 0 ? PutSession.UNKNOWN_SIZE : declaredSizeBytes;
            session = store.openPut(StoreKeys.object(bucket, key), meta, sizeBytes);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, key);
        }
        final CommitCondition condition = ifAbsent ? CommitCondition.IF_ABSENT : CommitCondition.NONE;
        return new StoreUpload(session, declaredSizeBytes, key, (s, sizeBytes, md5, checksums, note) ->
        {
            final ObjectMetadata atCommit = checksums.isEmpty() || checksums.equals(metadata.checksums()) ? null
                : MetadataCodec.encode(metadata.withChecksums(checksums)).withVersioning(versioning);
            return publish(bucket, key, () -> s.commit(sizeBytes, md5, condition, atCommit, note));
        });
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return whether an object was deleted or a delete marker written (S3 answers 204 either way).
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}.
     */
    public boolean delete(final String bucket, final String key)
    {
        return deleteObject(bucket, key, null).changed();
    }

    /**
     * DeleteObject. Without a version id: in a bucket that never had versioning the object is
     * removed; with versioning enabled or suspended a delete marker becomes the key's newest
     * version (suspended: the null version, replacing an earlier one). With a version id: that
     * version is removed for good; removing the newest makes the next one current.
     *
     * @param bucket    the bucket.
     * @param key       the key.
     * @param versionId a version id, {@code "null"}, or null/empty.
     * @return the version written or removed, for the response headers.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchBucket}, {@code InvalidArgument}.
     */
    public DeleteResult deleteObject(final String bucket, final String key, final String versionId)
    {
        final VersioningMode versioning = buckets.require(bucket).versioning();
        NameRules.checkKey(key);
        final String storeKey = StoreKeys.object(bucket, key);
        try
        {
            if (versionId != null && !versionId.isEmpty())
            {
                final long id = parseVersionId(versionId);
                final Optional<ObjectRecord> removed = store.deleteVersion(storeKey, id);
                return new DeleteResult(versionId, removed.map(ObjectRecord::isDeleteMarker).orElse(false), removed.isPresent());
            }
            if (versioning == VersioningMode.OFF)
            {
                return new DeleteResult(null, false, store.delete(storeKey));
            }
            return inBucket(bucket, () -> new DeleteResult(store.putDeleteMarker(storeKey, versioning).versionIdText(), true, true));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, key);
        }
    }

    /**
     * ListObjectVersions.
     *
     * @param bucket          the bucket.
     * @param prefix          key prefix.
     * @param delimiter       roll-up delimiter ("" = none).
     * @param keyMarker       continue after this key ("" = start).
     * @param versionIdMarker with keyMarker, continue after this version of that key.
     * @param maxKeys         page size (0..1000).
     * @return one page.
     */
    public VersionListResult listVersions(
        final String bucket, final String prefix, final String delimiter, final String keyMarker, final String versionIdMarker, final int maxKeys)
    {
        buckets.require(bucket);
        if (!versionIdMarker.isEmpty())
        {
            parseVersionId(versionIdMarker);
        }
        try
        {
            return VersionRollUpListing.list(store, bucket, prefix, delimiter, keyMarker, versionIdMarker, Math.clamp(maxKeys, 0, MAX_KEYS));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, bucket);
        }
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
        return copy(sourceBucket, sourceKey, null, targetBucket, targetKey, directive, replacement, sourceEtagIfMatch);
    }

    /**
     * CopyObject from one version ({@code x-amz-copy-source: bucket/key?versionId=...}); copying
     * an old version over the current one is how a versioned object is rolled back. In a bucket
     * with versioning the copy is always a new version (its bytes are copied, even onto itself).
     *
     * @param sourceBucket    source bucket.
     * @param sourceKey       source key.
     * @param sourceVersionId the source version, or null/empty for the current one.
     * @param targetBucket    destination bucket.
     * @param targetKey       destination key.
     * @param directive       COPY or REPLACE.
     * @param replacement     the metadata to use with REPLACE.
     * @param sourceEtagIfMatch when not empty, the ETag the source version must have.
     * @return the new object.
     */
    public S3Object copy(
        final String sourceBucket,
        final String sourceKey,
        final String sourceVersionId,
        final String targetBucket,
        final String targetKey,
        final MetadataDirective directive,
        final S3Metadata replacement,
        final String sourceEtagIfMatch)
    {
        buckets.require(sourceBucket);
        final VersioningMode targetVersioning = buckets.require(targetBucket).versioning();
        NameRules.checkKey(sourceKey);
        NameRules.checkKey(targetKey);
        final boolean fromVersion = sourceVersionId != null && !sourceVersionId.isEmpty();
        final boolean self = sourceBucket.equals(targetBucket) && sourceKey.equals(targetKey) && !fromVersion;
        if (self && directive == MetadataDirective.COPY)
        {
            throw new S3Exception(S3Error.InvalidRequest, "This copy request is illegal because it is trying to copy an object " +
                "to itself without changing the object's metadata, storage class, website redirect location or encryption " +
                "attributes.", targetKey);
        }
        try (ObjectReadHandle source = fromVersion
            ? open(sourceBucket, sourceKey, sourceVersionId).handle()
            : store.openObject(StoreKeys.object(sourceBucket, sourceKey)))
        {
            final ObjectRecord record = source.record();
            final boolean conditional = sourceEtagIfMatch != null && !sourceEtagIfMatch.isEmpty();
            if (conditional && !Etags.ifMatch(sourceEtagIfMatch, record.etag()))
            {
                throw new S3Exception(S3Error.PreconditionFailed, S3Error.PreconditionFailed.defaultMessage(), sourceKey);
            }
            final S3Metadata metadata = directive == MetadataDirective.COPY ? MetadataCodec.decode(record) : replacement;
            final ObjectMetadata meta = MetadataCodec.encode(metadata).withVersioning(targetVersioning);
            if (self && targetVersioning == VersioningMode.OFF)
            {
                return replaceMetadata(targetBucket, targetKey, meta, record);
            }
            try (PutSession target = store.openPut(StoreKeys.object(targetBucket, targetKey), meta, record.sizeBytes()))
            {
                RangeCopier.copy(source, 0, record.sizeBytes(), target);
                return publish(targetBucket, targetKey, target::commit);
            }
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, e.code() == ErrorCode.NOT_FOUND ? sourceKey : targetKey);
        }
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
        buckets.require(bucket);
        NameRules.checkKey(key);
        MetadataCodec.checkTags(tags);
        final String storeKey = StoreKeys.object(bucket, key);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                final ObjectRecord record = store.stat(storeKey);
                final ObjectMetadata meta = MetadataCodec.encode(MetadataCodec.decode(record).withTags(tags));
                try
                {
                    return S3Object.fromRecord(bucket, key,
                        store.replaceMetadata(storeKey, meta, CommitCondition.ifVersion(record.version())));
                }
                catch (final ConduitException e)
                {
                    // The object was overwritten between reading its metadata and replacing it: tag the new version.
                    if (e.code() != ErrorCode.PRECONDITION_FAILED || attempt == TAGGING_ATTEMPTS - 1)
                    {
                        throw e;
                    }
                }
            }
        }
        catch (final ConduitException e)
        {
            throw e.code() == ErrorCode.PRECONDITION_FAILED
                ? S3Exception.of(S3Error.ConditionalRequestConflict, key)
                : StoreErrors.toS3(e, key);
        }
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
        buckets.require(bucket);
        final String base = StoreKeys.objectPrefix(bucket);
        final String startAfter = query.startAfter();
        final RollUpListing.Page page;
        try
        {
            final String storeAfter = startAfter.isEmpty() ? "" : base + startAfter;
            page = RollUpListing.list(store, base, query.prefix(), query.delimiter(), storeAfter, startAfter,
                Math.clamp(query.maxKeys(), 0, MAX_KEYS), storeKey -> storeKey.substring(base.length()));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, bucket);
        }
        final RollUpListing.Split<S3Object> split = page.split(entry -> S3Object.fromRecord(bucket, entry.s3Key(), entry.record()));
        final String next = page.truncated() ? page.entries().getLast().s3Key() : "";
        return new ListResult(split.items(), split.commonPrefixes(), page.truncated(), next);
    }

    /**
     * Objects of a bucket whose tags and user metadata satisfy every condition, in key order: the
     * metadata search behind {@code conduit find} and {@code x-conduit-where}.
     *
     * @param bucket     the bucket.
     * @param conditions parsed by {@link WhereClause#parse}.
     * @param prefix     only keys that begin with it.
     * @param startAfter the previous page's last key, or "".
     * @param maxKeys    page size, 1..{@value #MAX_KEYS}.
     * @return the page (no common prefixes: a search does not roll up).
     */
    public ListResult find(final String bucket, final List<MetadataPredicate> conditions, final String prefix,
        final String startAfter, final int maxKeys)
    {
        buckets.require(bucket);
        final String base = StoreKeys.objectPrefix(bucket);
        final ListPage page;
        try
        {
            page = store.find(new MetadataQuery(base + prefix, conditions, startAfter.isEmpty() ? "" : base + startAfter,
                Math.clamp(maxKeys, 1, MAX_KEYS)));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, bucket);
        }
        final List<S3Object> objects = page.objects().stream()
            .map(record -> S3Object.fromRecord(bucket, record.key().substring(base.length()), record))
            .toList();
        return new ListResult(objects, List.of(), page.truncated(),
            page.truncated() ? objects.getLast().key() : "");
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
        return multipart.create(bucket, key, metadata);
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
        return multipart.beginPart(bucket, key, uploadId, partNumber, declaredSizeBytes);
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
        return multipart.copyPart(bucket, key, uploadId, partNumber, sourceBucket, sourceKey, offsetBytes, lengthBytes);
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
        return multipart.complete(bucket, key, uploadId, parts);
    }

    /**
     * @param bucket   the bucket.
     * @param key      the key.
     * @param uploadId the upload to abort; its parts are freed.
     * @throws dev.conduit.objecttier.S3Exception {@code NoSuchUpload}.
     */
    public void abortUpload(final String bucket, final String key, final String uploadId)
    {
        multipart.abort(bucket, key, uploadId);
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
        return multipart.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
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
        return multipart.listUploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
    }

    @Override
    public void close()
    {
        // Nothing of its own: no threads, no memory held between calls; the store belongs to the caller.
    }

    /**
     * Same bytes, new metadata (CopyObject onto itself with REPLACE): the extents move to the new
     * version; nothing is read or written. Only if the object is still the version the caller read.
     */
    private S3Object replaceMetadata(final String bucket, final String key, final ObjectMetadata meta, final ObjectRecord read)
    {
        try
        {
            final ObjectRecord replaced =
                store.replaceMetadata(StoreKeys.object(bucket, key), meta, CommitCondition.ifVersion(read.version()));
            return S3Object.fromRecord(bucket, key, replaced);
        }
        catch (final ConduitException e)
        {
            // Overwritten or deleted since it was read: the client sent no precondition, so this is a conflict, not a 412.
            if (e.code() == ErrorCode.PRECONDITION_FAILED)
            {
                throw new S3Exception(S3Error.ConditionalRequestConflict, S3Error.ConditionalRequestConflict.defaultMessage(), key, e);
            }
            throw e;
        }
    }

    /**
     * @param versionId a version id from a client.
     * @return the store's id.
     * @throws S3Exception {@code InvalidArgument} when it is not one this server makes.
     */
    private static long parseVersionId(final String versionId)
    {
        try
        {
            return VersionIds.parse(versionId);
        }
        catch (final ConduitException e)
        {
            throw new S3Exception(S3Error.InvalidArgument, "Invalid version id specified", versionId, e);
        }
    }

    /**
     * @return {@code NoSuchKey}, sent with {@code x-amz-delete-marker: true} and the marker's
     *         version id when the key's newest version is a delete marker.
     */
    private S3Exception noSuchKey(final String bucket, final String key)
    {
        final S3Exception missing = S3Exception.of(S3Error.NoSuchKey, key);
        final Optional<ObjectRecord> newest = store.findNewest(StoreKeys.object(bucket, key));
        return newest.isPresent() && newest.get().isDeleteMarker()
            ? missing.withHeader(DELETE_MARKER_HEADER, "true").withHeader(VERSION_ID_HEADER, newest.get().versionIdText())
            : missing;
    }

    /** Publishes a write into {@code bucket} unless the bucket was deleted since the write began. */
    private S3Object publish(final String bucket, final String key, final Supplier<ObjectRecord> commit)
    {
        return inBucket(bucket, () -> S3Object.fromRecord(bucket, key, commit.get()));
    }

    /** Runs a write into {@code bucket} under its shared lock, unless the bucket was deleted since the write began. */
    private <T> T inBucket(final String bucket, final Supplier<T> write)
    {
        final Lock shared = locks.bucketShared(bucket);
        shared.lock();
        try
        {
            buckets.checkStillExists(bucket);
            return write.get();
        }
        finally
        {
            shared.unlock();
        }
    }
}
