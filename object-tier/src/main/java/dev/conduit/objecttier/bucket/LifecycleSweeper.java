package dev.conduit.objecttier.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.VersionListRequest;
import dev.conduit.blocklayout.VersionPage;

/**
 * Applies the buckets' lifecycle rules ({@link LifecycleRule}): removes noncurrent versions that
 * have expired. {@link #sweepOnce()} walks every version under each enabled rule's prefix, key by
 * key and newest first, so for each noncurrent version it knows how many newer noncurrent versions
 * its key has and when it stopped being current (the creation time of the version after it). Each
 * removal is one {@link ObjectStore#deleteVersion}, so a crash mid-sweep leaves every version
 * either kept or removed, and the next sweep finishes the job.
 *
 * <pre>{@code
 * try (LifecycleSweeper sweeper = new LifecycleSweeper(buckets, System::currentTimeMillis))
 * {
 *     sweeper.start(TimeUnit.HOURS.toMillis(1));   // background, daemon thread
 * }
 * new LifecycleSweeper(buckets, manualClock).sweepOnce();   // tests: a manual clock, no thread
 * }</pre>
 *
 * <p>Threading: {@link #sweepOnce()} from any one thread at a time (the background thread, or a
 * caller that did not {@link #start}). It reads and writes only through the store, so it runs
 * alongside S3 requests; a version rewritten meanwhile is just found or not found.
 */
public final class LifecycleSweeper implements AutoCloseable
{
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);
    private static final int PAGE = 1000;

    private final BucketStore buckets;
    private final LongSupplier clockMs;
    private ScheduledExecutorService executor;

    /**
     * @param buckets the buckets to sweep.
     * @param clockMs the time, epoch milliseconds (inject a manual clock in tests).
     */
    public LifecycleSweeper(final BucketStore buckets, final LongSupplier clockMs)
    {
        this.buckets = buckets;
        this.clockMs = clockMs;
    }

    /**
     * Sweeps every {@code intervalMs} on a daemon thread until {@link #close()}; a failed sweep is
     * logged and the next one runs as planned.
     *
     * @param intervalMs time between sweeps.
     * @return this sweeper.
     */
    public synchronized LifecycleSweeper start(final long intervalMs)
    {
        if (executor != null)
        {
            throw new IllegalStateException("the lifecycle sweeper is already running");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "conduit-lifecycle");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::sweepLogged, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One pass over every bucket with a lifecycle configuration.
     *
     * @return how many versions were removed.
     */
    public long sweepOnce()
    {
        final long nowMs = clockMs.getAsLong();
        long removed = 0;
        for (final BucketInfo bucket : buckets.listBuckets())
        {
            for (final LifecycleRule rule : buckets.lifecycle(bucket.name()).orElse(List.of()))
            {
                if (rule.enabled())
                {
                    removed += sweep(bucket.name(), rule, nowMs);
                }
            }
        }
        return removed;
    }

    /** Stops the background thread (if started) and waits for a sweep in progress. */
    @Override
    public synchronized void close()
    {
        if (executor == null)
        {
            return;
        }
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    private void sweepLogged()
    {
        try
        {
            sweepOnce();
        }
        catch (final RuntimeException e)
        {
            // Logged, not swallowed: an exception escaping a scheduled task would cancel every later sweep.
            System.getLogger(LifecycleSweeper.class.getName()).log(System.Logger.Level.WARNING,
                "lifecycle sweep failed; retrying at the next interval", e);
        }
    }

    private long sweep(final String bucket, final LifecycleRule rule, final long nowMs)
    {
        final ObjectStore store = buckets.store().store();
        final String base = StoreKeys.objectPrefix(bucket);
        VersionListRequest request = VersionListRequest.of(base + rule.prefix(), PAGE);
        String key = null;
        int noncurrentSeen = 0;
        long successorCreatedMs = 0;
        long removed = 0;
        while (true)
        {
            final VersionPage page = store.listVersions(request);
            final List<ObjectRecord> expired = new ArrayList<>();
            for (final VersionPage.Entry e : page.versions())
            {
                final ObjectRecord r = e.record();
                if (!r.key().equals(key))
                {
                    key = r.key();
                    noncurrentSeen = 0;
                }
                else if (!r.isDeleteMarker())
                {
                    noncurrentSeen++;
                    if (noncurrentSeen > rule.newerNoncurrentVersions() && nowMs - successorCreatedMs >= rule.noncurrentDays() * DAY_MS)
                    {
                        expired.add(r);
                    }
                }
                successorCreatedMs = r.createdMs();
            }
            for (final ObjectRecord r : expired)
            {
                removed += store.deleteVersion(r.key(), r.versionId()).isPresent() ? 1 : 0;
            }
            if (!page.truncated())
            {
                return removed;
            }
            request = request.after(page);
        }
    }
}
