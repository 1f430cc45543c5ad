package dev.conduit.objecttier.bucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * Bucket records: one empty store object per bucket ({@link StoreKeys#bucket}) whose metadata says
 * when it was created and whether it is public. The creation time is kept in the metadata rather
 * than taken from the record, because changing the ACL writes a new version of the record.
 *
 * <p>Threading: any thread; the exclusive bucket lock orders creation against deletion and ACL
 * changes against each other.
 */
final class BucketRecords
{
    private static final String CREATED_MS = "created-ms";
    private static final String PUBLIC_READ = "public-read";
    private static final String VERSIONING = "versioning";
    private static final int PAGE = 1000;

    private final ObjectStore store;
    private final LockStripes locks;
    /**
     * Buckets found, so that a GET's bucket check (an anonymous read's public-read flag) decodes no
     * record; every write and removal of a bucket record goes through this class and drops its entry.
     */
    private final ConcurrentHashMap<String, Optional<BucketInfo>> found = new ConcurrentHashMap<>();
    /** Bucket record writes and removals ended so far (see {@link #find}). */
    private final AtomicLong writes = new AtomicLong();

    BucketRecords(final ObjectStore store, final LockStripes locks)
    {
        this.store = store;
        this.locks = locks;
    }

    BucketInfo create(final String name)
    {
        NameRules.checkBucket(name);
        locks.bucketExclusive(name).lock();
        try
        {
            // IF_ABSENT alone would do; the check under the lock also gives the S3 error without a wasted write.
            if (exists(name))
            {
                throw S3Exception.of(S3Error.BucketAlreadyOwnedByYou, name);
            }
            final long nowMs = System.currentTimeMillis();
            write(new BucketInfo(name, Instant.ofEpochMilli(nowMs), false), CommitCondition.IF_ABSENT);
            return new BucketInfo(name, Instant.ofEpochMilli(nowMs), false);
        }
        catch (final ConduitException e)
        {
            if (e.code() == ErrorCode.PRECONDITION_FAILED)
            {
                throw S3Exception.of(S3Error.BucketAlreadyOwnedByYou, name);
            }
            throw StoreErrors.toS3(e, name);
        }
        finally
        {
            locks.bucketExclusive(name).unlock();
        }
    }

    /** An invalid name is simply not found: no bucket can have it (only creation reports InvalidBucketName). */
    Optional<BucketInfo> find(final String name)
    {
        final Optional<BucketInfo> cached = found.get(name);
        if (cached != null)
        {
            return cached;
        }
        if (!NameRules.isValidBucket(name))
        {
            return Optional.empty();
        }
        try
        {
            final long before = writes.get();
            final Optional<BucketInfo> read = store.find(StoreKeys.bucket(name)).map(BucketRecords::info);
            if (read.isPresent())
            {
                // Kept only if no write of a bucket record ended meanwhile (it may predate that write); a write
                // that ends after this check drops it itself.
                found.put(name, read);
                if (writes.get() != before)
                {
                    found.remove(name, read);
                }
            }
            return read;
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, name);
        }
    }

    /** After a bucket record was written or removed: forget what {@link #find} kept of it. */
    private void changed(final String name)
    {
        writes.incrementAndGet();
        found.remove(name);
    }

    BucketInfo require(final String name)
    {
        return find(name).orElseThrow(() -> S3Exception.of(S3Error.NoSuchBucket, name));
    }

    List<BucketInfo> list()
    {
        final List<BucketInfo> all = new ArrayList<>();
        try
        {
            ListRequest request = ListRequest.of(StoreKeys.bucketPrefix(), PAGE);
            while (true)
            {
                final ListPage page = store.list(request);
                for (final ObjectRecord record : page.objects())
                {
                    all.add(info(record));
                }
                if (!page.truncated())
                {
                    return all;
                }
                request = request.after(page.nextStartAfter());
            }
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, "");
        }
    }

    BucketInfo setPublicRead(final String name, final boolean publicRead)
    {
        return update(name, current -> new BucketInfo(name, current.created(), publicRead, current.versioning()));
    }

    /**
     * Sets the bucket's versioning state (S3 PutBucketVersioning): ENABLED or SUSPENDED; a bucket
     * never goes back to OFF.
     */
    BucketInfo setVersioning(final String name, final VersioningMode versioning)
    {
        return update(name, current -> new BucketInfo(name, current.created(), current.publicRead(), versioning));
    }

    /** Rewrites the bucket record as {@code change} makes it, under the bucket's exclusive lock. */
    private BucketInfo update(final String name, final UnaryOperator<BucketInfo> change)
    {
        require(name);
        locks.bucketExclusive(name).lock();
        try
        {
            final ObjectRecord record = store.stat(StoreKeys.bucket(name));
            final BucketInfo changed = change.apply(info(record));
            write(changed, CommitCondition.ifVersion(record.version()));
            return changed;
        }
        catch (final ConduitException e)
        {
            // Under the exclusive lock the record cannot have changed, only vanished (a concurrent delete).
            throw e.code() == ErrorCode.NOT_FOUND ? S3Exception.of(S3Error.NoSuchBucket, name) : StoreErrors.toS3(e, name);
        }
        finally
        {
            locks.bucketExclusive(name).unlock();
        }
    }

    /** Removes the record; the caller holds the exclusive lock and has emptied the bucket. */
    void remove(final String name)
    {
        try
        {
            store.delete(StoreKeys.bucket(name));
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, name);
        }
        finally
        {
            changed(name);
        }
    }

    /**
     * @param name the bucket.
     * @return true when it exists; for callers that hold its lock and must re-check under it.
     */
    boolean exists(final String name)
    {
        return NameRules.isValidBucket(name) && store.find(StoreKeys.bucket(name)).isPresent();
    }

    /**
     * For writers holding the bucket's shared lock, about to publish into it.
     *
     * @param name the bucket, checked when the write began.
     * @throws S3Exception {@code NoSuchBucket} when it was deleted since.
     */
    void checkStillExists(final String name)
    {
        if (!exists(name))
        {
            throw S3Exception.of(S3Error.NoSuchBucket, name);
        }
    }

    private void write(final BucketInfo bucket, final CommitCondition condition)
    {
        final Map<String, String> fields = new HashMap<>();
        fields.put(CREATED_MS, Long.toString(bucket.created().toEpochMilli()));
        if (bucket.publicRead())
        {
            fields.put(PUBLIC_READ, "true");
        }
        if (bucket.versioning() != VersioningMode.OFF)
        {
            fields.put(VERSIONING, bucket.versioning().name());
        }
        final ObjectMetadata meta = new ObjectMetadata("", fields);
        try (PutSession put = store.openPut(StoreKeys.bucket(bucket.name()), meta, 0))
        {
            put.commit(0, null, condition);
        }
        finally
        {
            changed(bucket.name());
        }
    }

    private static BucketInfo info(final ObjectRecord record)
    {
        final Map<String, String> meta = record.userMetadata();
        return new BucketInfo(
            StoreKeys.bucketName(record.key()),
            Instant.ofEpochMilli(Long.parseLong(meta.getOrDefault(CREATED_MS, Long.toString(record.createdMs())))),
            "true".equals(meta.get(PUBLIC_READ)),
            VersioningMode.valueOf(meta.getOrDefault(VERSIONING, VersioningMode.OFF.name())));
    }
}
