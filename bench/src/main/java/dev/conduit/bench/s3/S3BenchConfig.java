package dev.conduit.bench.s3;

import java.util.Objects;

/**
 * One S3 load run, validated.
 *
 * @param target       bucket, prefix and endpoint.
 * @param credentials  what requests are signed with.
 * @param mode         GET, PUT or mixed.
 * @param getRatio     with {@link S3Mode#MIXED}: the share of GETs, 0 to 1.
 * @param objects      objects in the set ({@code obj-00000000} ... under the prefix).
 * @param objectBytes  bytes per object (every GET and PUT moves one whole object).
 * @param concurrency  keep-alive connections, each with one request in flight.
 * @param timeNs       measured duration of each round.
 * @param rampNs       unmeasured run before each round.
 * @param rounds       measured rounds; the report gives each and their median.
 * @param rateOps      open loop: requests started per second over all connections, latency measured from each
 *                     request's scheduled start (0: closed loop).
 * @param setup        PUT the objects (and create the bucket) before measuring.
 * @param cleanup      DELETE the objects afterwards.
 */
public record S3BenchConfig(
    S3Target target, S3Credentials credentials, S3Mode mode, double getRatio, int objects, long objectBytes,
    int concurrency, long timeNs, long rampNs, int rounds, long rateOps, boolean setup, boolean cleanup)
{
    /** Largest object: every PUT sends one shared buffer, and a Netty buffer holds at most 2 GiB. */
    public static final long MAX_OBJECT_BYTES = 1L << 30;
    /** Most connections. */
    public static final int MAX_CONCURRENCY = 4096;
    /** The measured time when none is given. */
    public static final long TIME_DEFAULT_NS = 10_000_000_000L;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public S3BenchConfig
    {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(mode, "mode");
        if (!(getRatio >= 0 && getRatio <= 1))
        {
            throw new IllegalArgumentException("--get-ratio must be between 0 and 1: " + getRatio);
        }
        if (objects < 1 || objects > 10_000_000)
        {
            throw new IllegalArgumentException("--objects must be between 1 and 10000000: " + objects);
        }
        if (objectBytes < 0 || objectBytes > MAX_OBJECT_BYTES)
        {
            throw new IllegalArgumentException("--bs (the object size) must be between 0 and 1g: " + objectBytes);
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY)
        {
            throw new IllegalArgumentException("--qd/--concurrency must be between 1 and " + MAX_CONCURRENCY + ": " + concurrency);
        }
        if (timeNs <= 0 || rampNs < 0)
        {
            throw new IllegalArgumentException("--time must be positive and --ramp not negative");
        }
        if (rounds < 1 || rounds > 99)
        {
            throw new IllegalArgumentException("--rounds must be between 1 and 99: " + rounds);
        }
        if (rateOps < 0 || (rateOps > 0 && rateOps < concurrency))
        {
            throw new IllegalArgumentException("--rate must be at least one request per second per connection: " + rateOps);
        }
    }

    /** @return the share of requests that are GETs. */
    public double effectiveGetRatio()
    {
        return switch (mode)
        {
            case GET -> 1.0;
            case PUT -> 0.0;
            case MIXED -> getRatio;
        };
    }

    /** @return true when requests start on a schedule rather than as others complete. */
    public boolean openLoop()
    {
        return rateOps > 0;
    }
}
