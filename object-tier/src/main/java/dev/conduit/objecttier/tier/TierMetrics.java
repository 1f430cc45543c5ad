package dev.conduit.objecttier.tier;

import java.util.concurrent.atomic.LongAdder;

import dev.conduit.objecttier.metrics.PrometheusText;

/**
 * Tiering counters, rendered into the server's Prometheus scrape ({@code conduit_tier_*}). The
 * write-back gauges (backlog, oldest pending age, uploads running) are read from the queue at scrape time; upload
 * throughput is {@code rate(conduit_tier_upload_bytes_total[1m])}.
 */
public final class TierMetrics
{
    final LongAdder coldGets = new LongAdder();
    final LongAdder coldLists = new LongAdder();
    final LongAdder coldGetBytes = new LongAdder();
    final LongAdder fills = new LongAdder();
    final LongAdder fillFailures = new LongAdder();
    final LongAdder revalidations = new LongAdder();
    final LongAdder replacements = new LongAdder();
    final LongAdder uploads = new LongAdder();
    final LongAdder uploadBytes = new LongAdder();
    final LongAdder uploadFailures = new LongAdder();
    final LongAdder coldDeletes = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder evictedBytes = new LongAdder();

    /** @return whole-object fills completed. */
    public long fills()
    {
        return fills.sum();
    }

    /** @return LISTs sent to the cold tier for merged listings of read-through buckets. */
    public long coldLists()
    {
        return coldLists.sum();
    }

    /** @return uploads completed. */
    public long uploads()
    {
        return uploads.sum();
    }

    /** @return objects evicted. */
    public long evictions()
    {
        return evictions.sum();
    }

    /**
     * @param text    where to render.
     * @param backlog the write-back queue now.
     */
    void render(final PrometheusText text, final WriteBack.Backlog backlog)
    {
        counter(text, "conduit_tier_cold_gets_total", "GETs sent to the cold tier (whole objects, parts, ranges)", coldGets);
        counter(text, "conduit_tier_cold_lists_total", "LISTs sent to the cold tier (one per page of a read-through bucket's listing)",
            coldLists);
        counter(text, "conduit_tier_cold_get_bytes_total", "bytes read from the cold tier", coldGetBytes);
        counter(text, "conduit_tier_fills_total", "objects fetched whole from the cold tier into the store", fills);
        counter(text, "conduit_tier_fill_failures_total", "fetches from the cold tier that failed (nothing was published)",
            fillFailures);
        counter(text, "conduit_tier_revalidations_total", "TTL revalidations (If-None-Match) sent to the cold tier", revalidations);
        counter(text, "conduit_tier_replacements_total", "local copies replaced because the cold object changed", replacements);
        counter(text, "conduit_tier_uploads_total", "write-back uploads completed", uploads);
        counter(text, "conduit_tier_upload_bytes_total", "bytes uploaded by write-back", uploadBytes);
        counter(text, "conduit_tier_upload_failures_total", "write-back upload attempts that failed (retried)", uploadFailures);
        counter(text, "conduit_tier_cold_deletes_total", "deletes done in the cold tier for deletes in write-back buckets", coldDeletes);
        counter(text, "conduit_tier_evictions_total", "cold-backed local copies evicted", evictions);
        counter(text, "conduit_tier_evicted_bytes_total", "bytes freed by eviction", evictedBytes);
        text.family("conduit_tier_backlog_objects", "gauge", "objects acknowledged locally and not yet uploaded")
            .sample("conduit_tier_backlog_objects", backlog.objects());
        text.family("conduit_tier_backlog_bytes", "gauge", "bytes acknowledged locally and not yet uploaded")
            .sample("conduit_tier_backlog_bytes", backlog.bytes());
        text.family("conduit_tier_oldest_pending_seconds", "gauge", "age of the oldest upload still pending")
            .sample("conduit_tier_oldest_pending_seconds", backlog.oldestAgeSeconds());
        text.family("conduit_tier_uploads_running", "gauge", "write-back uploads in progress now")
            .sample("conduit_tier_uploads_running", backlog.uploadsRunning());
    }

    private static void counter(final PrometheusText text, final String name, final String help, final LongAdder value)
    {
        text.family(name, "counter", help).sample(name, value.sum());
    }
}
