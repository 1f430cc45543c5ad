package dev.conduit.objecttier.tier;

import java.util.concurrent.locks.Lock;

import dev.conduit.objecttier.bucket.S3Object;

/**
 * One PUT into a tiered bucket, from before its body to its acknowledgement: holds the key's tier
 * lock shared (eviction waits) and, for a write-back bucket, journals the upload with
 * {@link #committed} before the PUT is acknowledged. A DELETE holds the lock exclusively (a fill
 * cannot publish in between) and journals the cold delete with {@link #deleted}. {@link #NONE} for
 * untiered buckets.
 */
public final class TierWrite implements AutoCloseable
{
    /** For a bucket without a binding: does nothing. */
    public static final TierWrite NONE = new TierWrite(null, null, null, null, false);

    private final Tiering tiering;
    private final String bucket;
    private final String key;
    private final Lock lock;
    private final boolean foreground;
    /** The queue time of the upload record that rode with the commit ({@link #withUploadRecord}), or -1. */
    private long riddenQueuedMs = -1;
    private boolean closed;

    /**
     * @param foreground whether this is a PUT into a write-back bucket that the uploads step back for until it is closed.
     */
    TierWrite(final Tiering tiering, final String bucket, final String key, final Lock lock, final boolean foreground)
    {
        this.tiering = tiering;
        this.bucket = bucket;
        this.key = key;
        this.lock = lock;
        this.foreground = foreground;
    }

    /**
     * The note to commit a streamed PUT's object with ({@link dev.conduit.objecttier.bucket.ObjectUpload#commit(long,
     * byte[], java.util.Map, Object)}): in a write-back bucket the object's upload record rides in
     * the same journal batch (one durable commit for both instead of two in sequence), and
     * {@link #committed} then only queues the upload.
     *
     * @param note the audit log's note, or null.
     * @return what to commit with.
     */
    public Object withUploadRecord(final Object note)
    {
        if (tiering == null)
        {
            return note;
        }
        final Tiering.Riding riding = tiering.ride(bucket, key, note);
        riddenQueuedMs = riding.queuedMs();
        return riding.note();
    }

    /**
     * The object is committed locally: journal its upload (write-back buckets) before the caller
     * acknowledges it, unless its record rode with the commit ({@link #withUploadRecord}).
     *
     * @param stored the committed object.
     */
    public void committed(final S3Object stored)
    {
        if (tiering == null)
        {
            return;
        }
        if (riddenQueuedMs >= 0)
        {
            tiering.writtenWithRecord(bucket, key, stored, riddenQueuedMs);
        }
        else
        {
            tiering.written(bucket, key, stored);
        }
    }

    /**
     * The object was deleted locally (DeleteObject without a version id): journal the cold tier's
     * delete (write-back buckets) before the caller acknowledges it.
     */
    public void deleted()
    {
        if (tiering != null)
        {
            tiering.deleted(bucket, key);
        }
    }

    @Override
    public void close()
    {
        if (lock == null || closed)
        {
            return;
        }
        closed = true;
        lock.unlock();
        if (foreground)
        {
            tiering.writeEnded();
        }
    }
}
