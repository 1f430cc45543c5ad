package dev.conduit.objecttier.bucket;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The few check-then-write sequences that the store cannot make atomic by itself, made atomic
 * within this process (the data directory's lock keeps other processes out of the store):
 *
 * <ul>
 * <li>Bucket lock, shared: every write that publishes into a bucket (an object, an upload, a
 *     part) checks that the bucket exists and publishes under it. Exclusive: creating and
 *     deleting the bucket. So a bucket found empty stays empty until its record is gone, and no
 *     object is ever published into a deleted bucket.</li>
 * <li>Upload lock: a part's commit checks that its upload is still in progress and publishes
 *     under it; completing and aborting hold it from their first check to their last delete. So
 *     no part is left behind by an upload that ended, and a part cannot change under a
 *     completion that has checked its ETag.</li>
 * </ul>
 *
 * <p>Lock order: a bucket lock before an upload lock, never the reverse, and at most one of each.
 * Locks are striped by name hash (64 stripes each), so unrelated names may share a stripe; that
 * costs only waiting, never a deadlock, given the order.
 */
final class LockStripes
{
    private static final int STRIPES = 64;

    private final ReentrantReadWriteLock[] buckets = new ReentrantReadWriteLock[STRIPES];
    private final ReentrantLock[] uploads = new ReentrantLock[STRIPES];

    LockStripes()
    {
        for (int i = 0; i < STRIPES; i++)
        {
            buckets[i] = new ReentrantReadWriteLock();
            uploads[i] = new ReentrantLock();
        }
    }

    /** @return the shared lock that writes into {@code bucket} hold. */
    Lock bucketShared(final String bucket)
    {
        return buckets[stripe(bucket)].readLock();
    }

    /** @return the exclusive lock that creating and deleting {@code bucket} hold. */
    Lock bucketExclusive(final String bucket)
    {
        return buckets[stripe(bucket)].writeLock();
    }

    /** @return the lock of one multipart upload. */
    Lock upload(final String uploadId)
    {
        return uploads[stripe(uploadId)];
    }

    private static int stripe(final String name)
    {
        final int h = name.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
