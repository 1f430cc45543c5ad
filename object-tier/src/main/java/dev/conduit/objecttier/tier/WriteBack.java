package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.bucket.OpenObject;

/**
 * The write-back queue: every acknowledged PUT into a write-back bucket, oldest first, uploaded by
 * {@code tier.uploadConcurrency} virtual threads. The queue is a cache of the catalog's
 * {@code uploading} records (written before the PUT is acknowledged), so it is rebuilt from them
 * at start and nothing acknowledged is forgotten by a crash. An entry leaves the queue only after
 * its {@code synced} record is committed, conditionally on the {@code uploading} record it
 * uploaded for: a later overwrite rewrote that record, so the condition fails and the newer
 * version is uploaded next (the overwrite supersedes the pending upload and keeps its place).
 * A failed upload is retried with exponential back-off (cap {@link #MAX_BACKOFF_MS}) and never
 * dropped. A DeleteObject journals a {@code deleting} record the same way: the queue deletes the
 * key in the cold tier, then drops the record; a PUT after it supersedes it like an overwrite.
 *
 * <p>Fairness: while PUTs into write-back buckets are in progress ({@link #foregroundStarted} to
 * {@link #foregroundEnded}) at most {@link #FOREGROUND_UPLOADS} upload runs, so the uploads do not
 * take the CPU and device time those PUTs need to be acknowledged; with no PUT in progress all
 * {@code tier.uploadConcurrency} run. The backlog still drains during a stream of PUTs (one upload
 * always runs), and a PUT waiting for room in {@link #awaitRoom} is not in progress yet: a full
 * backlog uploads at full concurrency.
 *
 * <p>Back-pressure: {@link #awaitRoom} blocks a new PUT while the backlog holds
 * {@code tier.backlogObjects} objects or {@code tier.backlogBytes} bytes, up to
 * {@code tier.backpressureWait}, then refuses it with {@link ErrorCode#WRITE_BACK_FULL}.
 */
final class WriteBack implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("conduit.tier");
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long FIRST_BACKOFF_MS = 100;
    /** Uploads running at once while a PUT into a write-back bucket is in progress. */
    static final int FOREGROUND_UPLOADS = 1;

    private final Tiering tiering;
    private final TierSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final TreeMap<Long, Entry> bySeq = new TreeMap<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private long nextSeq;
    private long backlogBytes;
    private int running;
    private int foreground;
    private volatile boolean closed;

    WriteBack(final Tiering tiering, final TierSettings settings)
    {
        this.tiering = tiering;
        this.settings = settings;
    }

    /** Rebuilds the queue from the catalog's journal and starts the uploaders. */
    void start()
    {
        final List<TierCatalog.Entry> pending = new ArrayList<>(tiering.catalog().pendingUploads());
        pending.sort((a, b) -> Long.compare(a.record().queuedMs(), b.record().queuedMs()));
        for (final TierCatalog.Entry e : pending)
        {
            enqueue(e.bucket(), e.key(), e.record());
        }
        if (!pending.isEmpty())
        {
            LOG.log(System.Logger.Level.INFO, "write-back: " + pending.size() + " journaled uploads resumed");
        }
        for (int i = 0; i < settings.uploadConcurrency(); i++)
        {
            workers.add(Thread.ofVirtual().name("conduit-tier-upload-" + i).start(this::work));
        }
    }

    /**
     * Waits while the backlog is full, unless the key is already pending (an overwrite supersedes
     * its pending upload and takes no new place).
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @throws ConduitException WRITE_BACK_FULL when it stays full for {@code tier.backpressureWait}.
     * @throws InterruptedException when interrupted.
     */
    void awaitRoom(final String bucket, final String key) throws InterruptedException
    {
        long leftNs = settings.backpressureWait().toNanos();
        lock.lock();
        try
        {
            while (!byName.containsKey(bucket + "/" + key) && byName.size() >= settings.backlogObjects() || backlogBytes >= settings.backlogBytes())
            {
                if (leftNs <= 0)
                {
                    throw new ConduitException(ErrorCode.WRITE_BACK_FULL, "the write-back backlog is full (" + byName.size()
                        + " objects, " + backlogBytes + " bytes waiting for the cold tier)");
                }
                leftNs = room.awaitNanos(leftNs);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A PUT into a write-back bucket has room and starts: uploads step back to {@link #FOREGROUND_UPLOADS}. */
    void foregroundStarted()
    {
        lock.lock();
        try
        {
            foreground++;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A PUT from {@link #foregroundStarted} ended (acknowledged or not). */
    void foregroundEnded()
    {
        lock.lock();
        try
        {
            foreground--;
            if (foreground == 0)
            {
                work.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Queues (or re-queues, keeping its place) the upload a journaled record asks for.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @param record the {@code uploading} record as committed.
     */
    void enqueue(final String bucket, final String key, final TierRecord record)
    {
        lock.lock();
        try
        {
            final String name = bucket + "/" + key;
            final Entry existing = byName.get(name);
            if (existing != null)
            {
                backlogBytes += record.sizeBytes() - existing.sizeBytes;
                existing.sizeBytes = record.sizeBytes();
                existing.superseded = true;
                existing.notBeforeNs = 0;
            }
            else
            {
                final Entry entry = new Entry(nextSeq++, bucket, key, record.sizeBytes(), record.queuedMs());
                bySeq.put(entry.seq, entry);
                byName.put(name, entry);
                backlogBytes += entry.sizeBytes;
            }
            work.signal();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return uploads running now. */
    int running()
    {
        lock.lock();
        try
        {
            return running;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return PUTs into write-back buckets in progress now. */
    int foreground()
    {
        lock.lock();
        try
        {
            return foreground;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return the backlog now. */
    Backlog backlog()
    {
        lock.lock();
        try
        {
            final long oldestMs = bySeq.isEmpty() ? 0 : bySeq.firstEntry().getValue().queuedMs;
            return new Backlog(byName.size(), backlogBytes, oldestMs == 0 ? 0 : (System.currentTimeMillis() - oldestMs) / 1000.0,
                running);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return whether an upload of the key is queued or running.
     */
    boolean isPending(final String bucket, final String key)
    {
        lock.lock();
        try
        {
            return byName.containsKey(bucket + "/" + key);
        }
        finally
        {
            lock.unlock();
        }
    }

    private void work()
    {
        while (!closed)
        {
            final Entry entry;
            try
            {
                entry = take();
            }
            catch (final InterruptedException e)
            {
                return;
            }
            boolean finished = false;
            try
            {
                finished = uploadOnce(entry);
            }
            catch (final InterruptedException e)
            {
                release(entry, false);
                return;
            }
            catch (final RuntimeException e)
            {
                tiering.metrics().uploadFailures.increment();
                LOG.log(System.Logger.Level.WARNING, "write-back of " + entry.bucket + "/" + entry.key + " failed, retrying: "
                    + e.getMessage());
            }
            release(entry, finished);
        }
    }

    /** @return whether the entry is done (uploaded and recorded, superseded by a newer record, or deleted). */
    private boolean uploadOnce(final Entry entry) throws InterruptedException
    {
        final TierRecord pending = tiering.catalog().find(entry.bucket, entry.key).orElse(null);
        if (pending == null || pending.state() != TierState.UPLOADING && pending.state() != TierState.DELETING)
        {
            return true;
        }
        final ColdClient cold = tiering.cold(entry.bucket);
        if (cold == null)
        {
            LOG.log(System.Logger.Level.WARNING, "write-back of " + entry.bucket + "/" + entry.key + ": bucket no longer bound; kept");
            return false;
        }
        if (pending.state() == TierState.DELETING)
        {
            return deleteCold(entry, cold, pending);
        }
        final OpenObject open;
        try
        {
            open = tiering.local().open(entry.bucket, entry.key);
        }
        catch (final ConduitException e)
        {
            if (e.code() != ErrorCode.NOT_FOUND)
            {
                throw e;
            }
            tiering.catalog().remove(entry.bucket, entry.key);
            return true;
        }
        try (open)
        {
            final String coldEtag = Uploader.upload(cold, open, settings, tiering.metrics());
            tiering.metrics().uploads.increment();
            final long version = open.object().record().version();
            try
            {
                final TierRecord synced = tiering.catalog().put(entry.bucket, entry.key, new TierRecord(TierState.SYNCED, version,
                    open.object().sizeBytes(), coldEtag, System.currentTimeMillis(), 0, 0), pending.recordVersion());
                tiering.uploaded(entry.bucket, entry.key, open.object(), synced);
                return true;
            }
            catch (final ConduitException e)
            {
                if (e.code() != ErrorCode.PRECONDITION_FAILED)
                {
                    throw e;
                }
                // Overwritten during the upload: the newer version's record is pending; go again.
                return false;
            }
        }
    }

    /** @return whether the delete is done: false when the key was written again meanwhile (its upload goes next). */
    private boolean deleteCold(final Entry entry, final ColdClient cold, final TierRecord pending)
    {
        cold.delete(entry.key);
        tiering.metrics().coldDeletes.increment();
        final Lock exclusive = tiering.locks().of(entry.bucket, entry.key).writeLock();
        exclusive.lock();
        try
        {
            // Under the key's lock no PUT or DELETE is between its local change and its journal record.
            final TierRecord now = tiering.catalog().find(entry.bucket, entry.key).orElse(null);
            if (now == null || now.recordVersion() != pending.recordVersion())
            {
                return now == null;
            }
            tiering.catalog().remove(entry.bucket, entry.key);
            return true;
        }
        finally
        {
            exclusive.unlock();
        }
    }

    private Entry take() throws InterruptedException
    {
        lock.lock();
        try
        {
            while (true)
            {
                if (running >= (foreground > 0 ? FOREGROUND_UPLOADS : settings.uploadConcurrency()))
                {
                    work.await();
                    continue;
                }
                final long nowNs = System.nanoTime();
                long waitNs = Long.MAX_VALUE;
                for (final Entry entry : bySeq.values())
                {
                    if (entry.running)
                    {
                        continue;
                    }
                    if (entry.notBeforeNs == 0 || entry.notBeforeNs - nowNs <= 0)
                    {
                        entry.running = true;
                        entry.superseded = false;
                        running++;
                        return entry;
                    }
                    waitNs = Math.min(waitNs, entry.notBeforeNs - nowNs);
                }
                if (waitNs == Long.MAX_VALUE)
                {
                    work.await();
                }
                else
                {
                    work.awaitNanos(waitNs);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void release(final Entry entry, final boolean finished)
    {
        lock.lock();
        try
        {
            entry.running = false;
            running--;
            if (finished && !entry.superseded)
            {
                bySeq.remove(entry.seq);
                byName.remove(entry.bucket + "/" + entry.key);
                backlogBytes -= entry.sizeBytes;
                room.signalAll();
            }
            else if (!finished && !entry.superseded)
            {
                entry.backoffMs = entry.backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, entry.backoffMs * 2);
                entry.notBeforeNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(entry.backoffMs);
            }
            work.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (final Thread worker : workers)
        {
            try
            {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The backlog at one moment.
     *
     * @param objects          objects waiting or uploading.
     * @param bytes            their bytes.
     * @param oldestAgeSeconds age of the oldest.
     * @param uploadsRunning   uploads in progress (at most one while a write-back PUT is in progress).
     */
    record Backlog(int objects, long bytes, double oldestAgeSeconds, int uploadsRunning)
    {
    }

    private static final class Entry
    {
        final long seq;
        final String bucket;
        final String key;
        final long queuedMs;
        long sizeBytes;
        boolean running;
        boolean superseded;
        long notBeforeNs;
        long backoffMs;

        Entry(final long seq, final String bucket, final String key, final long sizeBytes, final long queuedMs)
        {
            this.seq = seq;
            this.bucket = bucket;
            this.key = key;
            this.sizeBytes = sizeBytes;
            this.queuedMs = queuedMs;
        }
    }
}
