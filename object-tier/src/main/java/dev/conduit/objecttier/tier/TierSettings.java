package dev.conduit.objecttier.tier;

import java.time.Duration;

import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;

/**
 * The {@code tier.*} configuration keys (docs/CONFIG.md), read once per process.
 *
 * @param ttl                 how long a fetched copy is served before revalidation.
 * @param partSizeBytes       ranged-GET and upload part size.
 * @param parallelParts       parts in flight per object.
 * @param multipartThresholdBytes objects above this are uploaded in parts.
 * @param uploadConcurrency   objects uploaded at once.
 * @param backlogObjects      most objects waiting for upload.
 * @param backlogBytes        most bytes waiting for upload.
 * @param backpressureWait    how long a PUT waits for backlog room.
 * @param retries             retries of one cold request.
 * @param requestTimeout      timeout of one cold request attempt.
 * @param highWatermarkPercent eviction starts above this store fill.
 * @param lowWatermarkPercent  eviction stops below this store fill.
 * @param verifyEtag          whether a fill's MD5 must match a single-part cold ETag.
 */
public record TierSettings(Duration ttl, long partSizeBytes, int parallelParts, long multipartThresholdBytes, int uploadConcurrency,
    int backlogObjects, long backlogBytes, Duration backpressureWait, int retries, Duration requestTimeout,
    int highWatermarkPercent, int lowWatermarkPercent, boolean verifyEtag)
{
    /** Checks the watermarks. */
    public TierSettings
    {
        if (lowWatermarkPercent >= highWatermarkPercent || highWatermarkPercent > 100)
        {
            throw new IllegalArgumentException("tier watermarks need low < high <= 100: low " + lowWatermarkPercent
                + ", high " + highWatermarkPercent);
        }
    }

    /**
     * @param config the run's configuration.
     * @return its tier settings.
     */
    public static TierSettings from(final ConduitConfig config)
    {
        return new TierSettings(Duration.ofNanos(config.get(Settings.TIER_TTL)), config.get(Settings.TIER_PART_SIZE),
            config.get(Settings.TIER_PARALLEL_PARTS), config.get(Settings.TIER_MULTIPART_THRESHOLD),
            config.get(Settings.TIER_UPLOAD_CONCURRENCY), config.get(Settings.TIER_BACKLOG_OBJECTS),
            config.get(Settings.TIER_BACKLOG_BYTES), Duration.ofNanos(config.get(Settings.TIER_BACKPRESSURE_WAIT)),
            config.get(Settings.TIER_RETRIES), Duration.ofNanos(config.get(Settings.TIER_REQUEST_TIMEOUT)),
            config.get(Settings.TIER_HIGH_WATERMARK), config.get(Settings.TIER_LOW_WATERMARK), config.get(Settings.TIER_VERIFY_ETAG));
    }

    /** @return the documented defaults. */
    public static TierSettings defaults()
    {
        return new TierSettings(Duration.ofMinutes(5), 8 << 20, 4, 16 << 20, 4, 10_000, 8L << 30, Duration.ofSeconds(10), 4,
            Duration.ofSeconds(30), 90, 80, true);
    }

    /**
     * @param newTtl the TTL to use.
     * @return these settings with another TTL.
     */
    public TierSettings withTtl(final Duration newTtl)
    {
        return new TierSettings(newTtl, partSizeBytes, parallelParts, multipartThresholdBytes, uploadConcurrency, backlogObjects,
            backlogBytes, backpressureWait, retries, requestTimeout, highWatermarkPercent, lowWatermarkPercent, verifyEtag);
    }

    /**
     * @param objects most objects waiting.
     * @param bytes   most bytes waiting.
     * @param wait    how long a PUT waits for room.
     * @return these settings with another backlog bound.
     */
    public TierSettings withBacklog(final int objects, final long bytes, final Duration wait)
    {
        return new TierSettings(ttl, partSizeBytes, parallelParts, multipartThresholdBytes, uploadConcurrency, objects, bytes, wait,
            retries, requestTimeout, highWatermarkPercent, lowWatermarkPercent, verifyEtag);
    }

    /**
     * @param newRetries retries per request.
     * @param timeout    per attempt.
     * @return these settings with other retry rules.
     */
    public TierSettings withRetries(final int newRetries, final Duration timeout)
    {
        return new TierSettings(ttl, partSizeBytes, parallelParts, multipartThresholdBytes, uploadConcurrency, backlogObjects,
            backlogBytes, backpressureWait, newRetries, timeout, highWatermarkPercent, lowWatermarkPercent, verifyEtag);
    }

    /**
     * @param high eviction starts above this fill percentage.
     * @param low  eviction stops below this one.
     * @return these settings with other watermarks.
     */
    public TierSettings withWatermarks(final int high, final int low)
    {
        return new TierSettings(ttl, partSizeBytes, parallelParts, multipartThresholdBytes, uploadConcurrency, backlogObjects,
            backlogBytes, backpressureWait, retries, requestTimeout, high, low, verifyEtag);
    }

    /**
     * @param newPartSizeBytes ranged-GET and upload part size.
     * @param newParallelParts parts in flight per object.
     * @return these settings with other parts.
     */
    public TierSettings withParts(final long newPartSizeBytes, final int newParallelParts)
    {
        return new TierSettings(ttl, newPartSizeBytes, newParallelParts, multipartThresholdBytes, uploadConcurrency, backlogObjects,
            backlogBytes, backpressureWait, retries, requestTimeout, highWatermarkPercent, lowWatermarkPercent, verifyEtag);
    }

    /**
     * @param verify whether a fill's MD5 must match a single-part cold ETag.
     * @return these settings with that check on or off.
     */
    public TierSettings withVerifyEtag(final boolean verify)
    {
        return new TierSettings(ttl, partSizeBytes, parallelParts, multipartThresholdBytes, uploadConcurrency, backlogObjects,
            backlogBytes, backpressureWait, retries, requestTimeout, highWatermarkPercent, lowWatermarkPercent, verify);
    }
}
