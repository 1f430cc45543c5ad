package dev.conduit.objecttier.bucket;

import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.conduit.blocklayout.ObjectRecord;

/**
 * The S3 view ({@link S3Object}: ETag text, last-modified, decoded S3 metadata) of recently opened
 * records, found by the record's identity: the store hands out the same immutable
 * {@link ObjectRecord} for an unchanged catalog entry, and a new version is a new record, so a GET
 * of an unchanged object builds no S3 view and decodes no metadata again.
 *
 * <p>Direct-mapped and lossy (at most {@link #SLOTS} views); a collision only costs a decode.
 *
 * <p>Threading: any thread; a slot's view is published whole.
 */
final class DecodedObjects
{
    static final int SLOTS = 256;

    private final AtomicReferenceArray<S3Object> slots = new AtomicReferenceArray<>(SLOTS);

    /**
     * @param bucket the bucket.
     * @param key    the S3 key.
     * @param record the record the store opened for them.
     * @return the S3 view of that record, built now unless the last one built into its slot is of this very record.
     */
    S3Object of(final String bucket, final String key, final ObjectRecord record)
    {
        final int slot = System.identityHashCode(record) & (SLOTS - 1);
        final S3Object cached = slots.getAcquire(slot);
        if (cached != null && cached.record() == record && cached.key().equals(key) && cached.bucket().equals(bucket))
        {
            return cached;
        }
        final S3Object object = S3Object.fromRecord(bucket, key, record);
        slots.setRelease(slot, object);
        return object;
    }
}
