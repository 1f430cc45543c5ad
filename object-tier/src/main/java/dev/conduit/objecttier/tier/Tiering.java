package dev.conduit.objecttier.tier;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Lock;
import java.util.function.Predicate;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ListQuery;
import dev.conduit.objecttier.bucket.LocalCopies;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.metrics.PrometheusText;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The tiering layer of one server: the bindings (from the catalog), one {@link ColdClient} per
 * bound bucket, the single-flight fills, the write-back queue and the evictor. The S3 handlers
 * call it only for bound buckets ({@link #binding}); everything else passes untouched. It is the
 * layer's one entry point, so it is long in methods, not in logic: each is a few lines that hand
 * the work to {@code Fill}, {@code WriteBack}, {@code Evictor}, {@code MergedListing} or the catalog.
 *
 * <pre>{@code
 * try (Tiering tiering = Tiering.open(buckets, TierSettings.defaults()))
 * {
 *     tiering.attach(new TierBinding("datasets", ColdLocation.parse("s3://lake/train"), endpoint, "us-east-1", "",
 *         TierPolicy.BOTH, 0.5, List.of("pinned/")));
 *     // the server's GET/HEAD misses and PUTs to "datasets" now go through the tier
 * }
 * }</pre>
 */
public final class Tiering implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("conduit.tier");

    private final BucketStore buckets;
    private final LocalCopies local;
    private final TierCatalog catalog;
    private final TierSettings settings;
    private final TierMetrics metrics = new TierMetrics();
    private final TierLocks locks = new TierLocks();
    private final Map<String, ColdClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Fill> fills = new ConcurrentHashMap<>();
    private final PrefetchProgress prefetchProgress = new PrefetchProgress();
    private final WriteBack writeBack;
    private final Evictor evictor;
    private final ColdThreads coldThreads;
    private final ThreadFactory fillThreads;

    private Tiering(final BucketStore buckets, final TierSettings settings, final ColdThreads coldThreads)
    {
        this.buckets = buckets;
        this.local = new LocalCopies(buckets);
        this.catalog = new TierCatalog(local.store());
        this.settings = settings;
        this.coldThreads = coldThreads;
        this.fillThreads = coldThreads.factory("conduit-tier-fill");
        this.writeBack = new WriteBack(this, settings);
        this.evictor = new Evictor(this);
    }

    /**
     * Loads the bindings, resumes journaled uploads and admits synced copies to the evictor.
     *
     * @param buckets  the buckets served.
     * @param settings the tier.* settings.
     * @return the running tiering layer.
     */
    public static Tiering open(final BucketStore buckets, final TierSettings settings)
    {
        return open(buckets, settings, ColdThreads.VIRTUAL);
    }

    /**
     * Loads the bindings, resumes journaled uploads and admits synced copies to the evictor.
     *
     * @param buckets     the buckets served.
     * @param settings    the tier.* settings.
     * @param coldThreads the threads fills read the cold tier on: {@link ColdThreads#PLATFORM} for a
     *                    one-shot command, {@link ColdThreads#VIRTUAL} for a server.
     * @return the running tiering layer.
     */
    public static Tiering open(final BucketStore buckets, final TierSettings settings, final ColdThreads coldThreads)
    {
        final Tiering tiering = new Tiering(buckets, settings, coldThreads);
        for (final TierBinding binding : tiering.catalog.bindings())
        {
            tiering.clients.put(binding.bucket(), new ColdClient(binding, settings, coldThreads));
        }
        for (final TierCatalog.Entry e : tiering.catalog.synced())
        {
            tiering.evictor.admit(e.bucket(), e.key(), e.record().localVersion(), e.record().sizeBytes());
        }
        tiering.writeBack.start();
        return tiering;
    }

    /**
     * Binds (or rebinds) a bucket; stored in the catalog, so it survives restarts.
     *
     * @param binding the binding.
     */
    public void attach(final TierBinding binding)
    {
        catalog.putBinding(binding);
        final ColdClient previous = clients.put(binding.bucket(), new ColdClient(binding, settings, coldThreads));
        if (previous != null)
        {
            previous.close();
        }
    }

    /**
     * @param bucket a bucket.
     * @return whether it was bound.
     */
    public boolean detach(final String bucket)
    {
        final ColdClient previous = clients.remove(bucket);
        if (previous != null)
        {
            previous.close();
        }
        return catalog.removeBinding(bucket);
    }

    /**
     * @param bucket a bucket.
     * @return its binding, if it has one.
     */
    public Optional<TierBinding> binding(final String bucket)
    {
        final ColdClient client = clients.get(bucket);
        return client == null ? Optional.empty() : Optional.of(client.binding());
    }

    /** @return every binding. */
    public List<TierBinding> bindings()
    {
        return clients.values().stream().map(ColdClient::binding).sorted((a, b) -> a.bucket().compareTo(b.bucket())).toList();
    }

    /**
     * Whether a local copy of a read-through bucket may be served as it is: copies written
     * locally are authoritative; a fetched copy is served for {@code tier.ttl}, then revalidated
     * with {@code If-None-Match}. A cold tier that cannot be asked is logged and the copy served
     * (stale beats unavailable).
     *
     * @param object the local version about to be served.
     * @return false when the cold object changed: the caller fetches it again ({@link #fill} with this version).
     */
    public boolean fresh(final S3Object object)
    {
        final ColdClient cold = clients.get(object.bucket());
        if (cold == null || !cold.binding().policy().readThrough())
        {
            return true;
        }
        evictor.hit(object.bucket(), object.key());
        final TierRecord record = catalog.find(object.bucket(), object.key()).orElse(null);
        final long version = object.record().version();
        if (servableAsIs(record, version))
        {
            return true;
        }
        metrics.revalidations.increment();
        try
        {
            final ColdObject changed = cold.head(object.key(), record.coldEtag());
            if (changed == null)
            {
                catalog.put(object.bucket(), object.key(), new TierRecord(TierState.SYNCED, version, record.sizeBytes(), record.coldEtag(),
                    System.currentTimeMillis(), 0, 0), record.recordVersion());
                return true;
            }
            return false;
        }
        catch (final ConduitException e)
        {
            if (e.code() != ErrorCode.PRECONDITION_FAILED)
            {
                LOG.log(System.Logger.Level.WARNING, "revalidation of " + object.bucket() + "/" + object.key()
                    + " failed; serving the local copy: " + e.getMessage());
            }
            return true;
        }
    }

    /**
     * {@link #fresh} for a thread that must not wait on the cold tier (the event loop's inline GET):
     * true, counting the hit for eviction, when the local copy may be served without asking the cold
     * tier; false when it would have to be revalidated first (the caller leaves the request to a thread
     * that may call {@link #fresh}).
     *
     * @param object the local version about to be served.
     * @return whether it may be served now, as it is.
     */
    public boolean freshWithoutAsking(final S3Object object)
    {
        final ColdClient cold = clients.get(object.bucket());
        if (cold == null || !cold.binding().policy().readThrough())
        {
            return true;
        }
        final TierRecord record = catalog.find(object.bucket(), object.key()).orElse(null);
        if (!servableAsIs(record, object.record().version()))
        {
            return false;
        }
        evictor.hit(object.bucket(), object.key());
        return true;
    }

    // Written here, or fetched and checked against the cold ETag less than the TTL ago.
    private boolean servableAsIs(final TierRecord record, final long version)
    {
        return record == null || record.state() != TierState.SYNCED || !record.describes(version)
            || System.currentTimeMillis() - record.checkedMs() < settings.ttl().toMillis();
    }

    /**
     * Joins or starts the one fetch of an object from the cold tier.
     *
     * @param bucket         a read-through bucket.
     * @param key            the key.
     * @param replaceVersion the stale local version to replace, or -1 for a miss.
     * @param subscribe      whether the caller wants the bytes as they arrive (it gets them if it starts the fetch, or
     *                       joins it before its first bytes were handed out).
     * @return the fetch; {@link Joined#subscribed()} says whether the caller is one of its subscribers.
     */
    public Joined fill(final String bucket, final String key, final long replaceVersion, final boolean subscribe)
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null)
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "bucket " + bucket + " has no cold tier");
        }
        refuseDeleted(bucket, key);
        final String name = bucket + "/" + key;
        final Fill[] started = new Fill[1];
        final Fill fill = fills.computeIfAbsent(name, n ->
        {
            started[0] = new Fill(this, cold, bucket, key, replaceVersion, subscribe);
            return started[0];
        });
        if (started[0] != null)
        {
            // Subscribed before it runs, so the first piece has somewhere to go.
            fillThreads.newThread(started[0]::run).start();
            return new Joined(fill, fill.first());
        }
        return new Joined(fill, subscribe ? fill.trySubscribe() : null);
    }

    /**
     * @param bucket a bucket.
     * @return whether its listings merge the cold tier's keys with the local ones ({@link #list}): it reads through.
     */
    public boolean mergesListing(final String bucket)
    {
        final ColdClient cold = clients.get(bucket);
        return cold != null && cold.binding().policy().readThrough();
    }

    /**
     * One page of a read-through bucket's listing: the local page merged in key order with one page of a cold LIST
     * (more only when keys whose cold delete is pending fill a whole cold page), the local entry winning where a
     * key is on both sides, keys deleted here whose cold delete is pending left out.
     *
     * @param bucket a bucket for which {@link #mergesListing} holds.
     * @param query  prefix, delimiter and max-keys (its start-after is ignored: {@code from} says where to start).
     * @param from   where the page starts ({@link ListPosition#start} for a first page).
     * @return the page and where the next starts.
     * @throws ConduitException a cold-tier code when the cold LIST failed (after its retries).
     */
    public MergedPage list(final String bucket, final ListQuery query, final ListPosition from)
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null)
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "bucket " + bucket + " has no cold tier");
        }
        // Only a write-back delete leaves a pending cold delete; a read-through-only bucket needs no look-ups.
        final Predicate<String> pending = cold.binding().policy().writeBack() ? key -> pendingDelete(bucket, key) : key -> false;
        return new MergedListing(buckets, cold, pending, metrics).page(bucket, query, from);
    }

    /**
     * Starts a DeleteObject in a bucket: takes the key's tier lock exclusively (no PUT, fill or
     * eviction of the key in between) until the returned write is closed; call
     * {@link TierWrite#deleted} once the local delete is done.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @return the write to close after the DELETE ({@link TierWrite#NONE} for an untiered bucket).
     */
    public TierWrite beginDelete(final String bucket, final String key)
    {
        if (clients.get(bucket) == null)
        {
            return TierWrite.NONE;
        }
        final Lock lock = locks.of(bucket, key).writeLock();
        lock.lock();
        return new TierWrite(this, bucket, key, lock, false);
    }

    /**
     * HEAD of an object that is not local.
     *
     * @param bucket a read-through bucket.
     * @param key    the key.
     * @return the cold object.
     * @throws ConduitException NOT_FOUND, or a cold-tier code.
     */
    public ColdObject headCold(final String bucket, final String key)
    {
        refuseDeleted(bucket, key);
        return clients.get(bucket).head(key, null);
    }

    /**
     * A range of an object that is not local, straight from the cold tier; the whole object is
     * fetched in the background meanwhile.
     *
     * @param bucket a read-through bucket.
     * @param key    the key.
     * @param range  the client's Range header.
     * @return the open cold response (close it).
     */
    public ResponseInputStream<GetObjectResponse> coldRange(final String bucket, final String key, final String range)
    {
        refuseDeleted(bucket, key);
        final ResponseInputStream<GetObjectResponse> stream = clients.get(bucket).getStream(key, range, null);
        metrics.coldGets.increment();
        fill(bucket, key, -1, false);
        return stream;
    }

    /**
     * @param object a local version.
     * @return its tier state.
     */
    public TierState state(final S3Object object)
    {
        final TierRecord record = catalog.find(object.bucket(), object.key()).orElse(null);
        if (record != null && record.describes(object.record().version()))
        {
            return record.state();
        }
        return writeBack.isPending(object.bucket(), object.key()) ? TierState.UPLOADING : TierState.LOCAL;
    }

    /**
     * @param bucket the bucket.
     * @param key    the key.
     * @return the state of a key, local or not (for {@code conduit stat}).
     */
    public Optional<TierRecord> record(final String bucket, final String key)
    {
        return catalog.find(bucket, key);
    }

    /**
     * Starts a PUT into a bucket: waits for write-back room (back-pressure) and takes the key's
     * tier lock shared until the returned write is closed.
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @return the write to close after the PUT ({@link TierWrite#NONE} for an untiered bucket).
     * @throws ConduitException WRITE_BACK_FULL when the backlog stays full.
     * @throws InterruptedException when interrupted while waiting for room.
     */
    public TierWrite beginWrite(final String bucket, final String key) throws InterruptedException
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null)
        {
            return TierWrite.NONE;
        }
        final boolean writeBackPut = cold.binding().policy().writeBack();
        if (writeBackPut)
        {
            writeBack.awaitRoom(bucket, key);
            writeBack.foregroundStarted();
        }
        final Lock lock = locks.of(bucket, key).readLock();
        lock.lock();
        return new TierWrite(this, bucket, key, lock, writeBackPut);
    }

    /**
     * Fetches every cold object under a prefix that is not local ({@code conduit tier prefetch}).
     *
     * @param bucket   a read-through bucket.
     * @param prefix   a key prefix ("" for all).
     * @param parallel objects fetched at once.
     * @param progress called with bytes done and total.
     * @return what was done.
     * @throws InterruptedException when interrupted.
     */
    public Prefetch.Result prefetch(final String bucket, final String prefix, final int parallel,
        final ProgressListener progress) throws InterruptedException
    {
        return Prefetch.run(this, bucket, prefix, parallel, progress);
    }

    /** @return the prefetches running for remote clients, with their progress. */
    public PrefetchProgress prefetchProgress()
    {
        return prefetchProgress;
    }

    /** Evicts now if the store is above its high watermark or a bucket above its share; returns objects evicted. */
    public int evict()
    {
        return evictor.run();
    }

    /**
     * @param text the server's scrape, to append {@code conduit_tier_*} to.
     */
    public void render(final PrometheusText text)
    {
        metrics.render(text, writeBack.backlog());
    }

    /** @return the counters. */
    public TierMetrics metrics()
    {
        return metrics;
    }

    /** @return objects waiting for or in upload. */
    public int backlogObjects()
    {
        return writeBack.backlog().objects();
    }

    /** @return uploads to the cold tier running now (at most one while {@link #writesInProgress()} is not 0). */
    public int uploadsRunning()
    {
        return writeBack.running();
    }

    /** @return PUTs into write-back buckets between their backlog room and their acknowledgement (or failure) now. */
    public int writesInProgress()
    {
        return writeBack.foreground();
    }

    @Override
    public void close()
    {
        writeBack.close();
        clients.values().forEach(ColdClient::close);
        clients.clear();
    }

    // ---- package-private: for fills, uploads and the evictor

    TierSettings settings()
    {
        return settings;
    }

    LocalCopies local()
    {
        return local;
    }

    TierCatalog catalog()
    {
        return catalog;
    }

    TierLocks locks()
    {
        return locks;
    }

    ColdClient cold(final String bucket)
    {
        return clients.get(bucket);
    }

    void fillDone(final String bucket, final String key, final Fill fill)
    {
        fills.remove(bucket + "/" + key, fill);
    }

    void filled(final S3Object stored)
    {
        evictor.admit(stored.bucket(), stored.key(), stored.record().version(), stored.sizeBytes());
    }

    /** A fill's copy took space: evict if that put the store over its watermark or the bucket over its share. */
    void evictAfterFill(final S3Object stored)
    {
        if (stored.sizeBytes() > 0)
        {
            evictor.run();
        }
    }

    void uploaded(final String bucket, final String key, final S3Object object, final TierRecord synced)
    {
        evictor.admit(bucket, key, synced.localVersion(), object.sizeBytes());
    }

    void written(final String bucket, final String key, final S3Object stored)
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null || !cold.binding().policy().writeBack())
        {
            return;
        }
        final long nowMs = System.currentTimeMillis();
        final TierRecord previous = catalog.find(bucket, key).orElse(null);
        final TierRecord pending = catalog.put(bucket, key, uploading(stored.record().version(), stored.sizeBytes(), queuedSince(previous, nowMs)), 0);
        writeBack.enqueue(bucket, key, pending);
    }

    /**
     * The note a PUT into {@code bucket} commits with: for a write-back bucket, its {@code uploading}
     * record rides in the object's own journal batch (one commit, one flush for both; a crash keeps
     * both or neither), carrying {@code note} on to the audit log.
     *
     * @return the note to commit with, and the record's queue time (-1 when nothing rides).
     */
    Riding ride(final String bucket, final String key, final Object note)
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null || !cold.binding().policy().writeBack())
        {
            return new Riding(note, -1);
        }
        final long queuedMs = queuedSince(catalog.find(bucket, key).orElse(null), System.currentTimeMillis());
        return new Riding(catalog.rider(bucket, key, published -> uploading(published.version(), published.sizeBytes(), queuedMs), note),
            queuedMs);
    }

    /** The upload record of a PUT committed with {@link #ride}: already durable, so only queued. */
    void writtenWithRecord(final String bucket, final String key, final S3Object stored, final long queuedMs)
    {
        writeBack.enqueue(bucket, key, uploading(stored.record().version(), stored.sizeBytes(), queuedMs));
    }

    private static TierRecord uploading(final long version, final long sizeBytes, final long queuedMs)
    {
        return new TierRecord(TierState.UPLOADING, version, sizeBytes, "", 0, queuedMs, 0);
    }

    /**
     * @param note     what the PUT commits with.
     * @param queuedMs the upload record's queue time, or -1 when no record rides with it.
     */
    record Riding(Object note, long queuedMs)
    {
    }

    void writeEnded()
    {
        writeBack.foregroundEnded();
    }

    void deleted(final String bucket, final String key)
    {
        final ColdClient cold = clients.get(bucket);
        if (cold == null)
        {
            return;
        }
        if (!cold.binding().policy().writeBack())
        {
            // Read-through only: the cold tier is the source and stays as it is; the local copy was a cache entry.
            catalog.remove(bucket, key);
            return;
        }
        final TierRecord previous = catalog.find(bucket, key).orElse(null);
        final TierRecord pending = catalog.put(bucket, key,
            new TierRecord(TierState.DELETING, 0, 0, "", 0, queuedSince(previous, System.currentTimeMillis()), 0), 0);
        writeBack.enqueue(bucket, key, pending);
    }

    /** A change of a key whose upload or delete is pending keeps its place in the queue (oldest first by first acknowledgement). */
    private static long queuedSince(final TierRecord previous, final long nowMs)
    {
        return previous != null && (previous.state() == TierState.UPLOADING || previous.state() == TierState.DELETING)
            ? previous.queuedMs() : nowMs;
    }

    /**
     * @throws ConduitException NOT_FOUND when the key was deleted here and the cold tier's delete is still pending (the
     *                          cold copy must not come back).
     */
    void refuseDeleted(final String bucket, final String key)
    {
        if (pendingDelete(bucket, key))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, bucket + "/" + key + " was deleted (its delete in the cold tier is pending)");
        }
    }

    private boolean pendingDelete(final String bucket, final String key)
    {
        return catalog.find(bucket, key).filter(r -> r.state() == TierState.DELETING).isPresent();
    }

    /**
     * A fill joined by a request.
     *
     * @param fill         the fill.
     * @param subscription this request's share of the bytes as they arrive, or null: it waits for the commit.
     */
    public record Joined(Fill fill, FillSubscription subscription)
    {
        /** @return whether this request receives the bytes as they arrive. */
        public boolean subscribed()
        {
            return subscription != null;
        }
    }
}
