package dev.conduit.objecttier.bucket;

import java.util.Optional;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The store-level view of S3 objects that the tiering layer needs and {@link BucketStore} does
 * not offer: a put session that commits under any {@link CommitCondition} (a cold copy replaces a
 * local one only if that is still the version it revalidated), a delete that only removes a known
 * version (eviction), and the S3 view of a store record. The key layout and metadata encoding stay
 * private to this package.
 */
public final class LocalCopies
{
    private final ObjectStore store;

    /**
     * @param buckets the buckets whose objects are copied.
     */
    public LocalCopies(final BucketStore buckets)
    {
        this.store = buckets.store().store();
    }

    /**
     * Opens a put session for an object; commit it with {@link #commit}.
     *
     * @param bucket    the bucket.
     * @param key       the key.
     * @param metadata  what the object carries.
     * @param sizeBytes its length, or {@link PutSession#UNKNOWN_SIZE}.
     * @return the session (the caller closes it, which aborts it unless committed).
     */
    public PutSession openPut(final String bucket, final String key, final S3Metadata metadata, final long sizeBytes)
    {
        NameRules.checkKey(key);
        return store.openPut(StoreKeys.object(bucket, key), MetadataCodec.encode(metadata), sizeBytes);
    }

    /**
     * @param session   a session from {@link #openPut}.
     * @param bucket    its bucket.
     * @param key       its key.
     * @param sizeBytes the length the cold tier announced (checked by the store).
     * @param condition when to publish ({@code IF_ABSENT} for a first copy, {@code ifVersion} for a replacement).
     * @param expectedMd5 the MD5 the bytes must have (16 bytes), or null to skip the check.
     * @param note      the commit's note: a {@link dev.conduit.blocklayout.CommitRider} publishes its record in
     *                  the same journal batch as the object; null for none.
     * @return the published object.
     * @throws ConduitException {@link ErrorCode#PRECONDITION_FAILED} when the condition does not hold,
     *                          {@link ErrorCode#DIGEST_MISMATCH} when the bytes are not those expected.
     */
    public S3Object commit(final PutSession session, final String bucket, final String key, final long sizeBytes,
        final CommitCondition condition, final byte[] expectedMd5, final Object note)
    {
        return S3Object.fromRecord(bucket, key, session.commit(sizeBytes, expectedMd5, condition, null, note));
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return the current version, if there is one.
     */
    public Optional<S3Object> find(final String bucket, final String key)
    {
        return store.find(StoreKeys.object(bucket, key)).map(record -> S3Object.fromRecord(bucket, key, record));
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return the current version, pinned (the caller closes it).
     * @throws ConduitException {@link ErrorCode#NOT_FOUND}.
     */
    public OpenObject open(final String bucket, final String key)
    {
        final ObjectReadHandle handle = store.openObject(StoreKeys.object(bucket, key));
        try
        {
            return new OpenObject(S3Object.fromRecord(bucket, key, handle.record()), handle);
        }
        catch (final RuntimeException e)
        {
            handle.close();
            throw e;
        }
    }

    /**
     * Removes an object only if its current version is {@code version}: eviction must never remove
     * a newer write. The check and the delete are not one store operation, so callers hold the
     * object's tier lock, which every PUT into a tiered bucket takes too.
     *
     * @param bucket  the bucket.
     * @param key     the key.
     * @param version the version the caller decided to drop.
     * @return whether it was removed.
     */
    public boolean deleteIfVersion(final String bucket, final String key, final long version)
    {
        final String storeKey = StoreKeys.object(bucket, key);
        final Optional<ObjectRecord> current = store.find(storeKey);
        if (current.isEmpty() || current.get().version() != version)
        {
            return false;
        }
        return store.delete(storeKey);
    }

    /** @return the store underneath (catalog records of the tiering layer live in it too). */
    public ObjectStore store()
    {
        return store;
    }

    /**
     * @param bucket a bucket.
     * @return the store-key prefix of its objects (for the tiering layer's scans).
     */
    public static String objectPrefix(final String bucket)
    {
        return StoreKeys.objectPrefix(bucket);
    }
}
