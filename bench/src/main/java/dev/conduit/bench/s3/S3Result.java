package dev.conduit.bench.s3;

import java.util.Map;
import java.util.TreeMap;

import dev.conduit.bench.BenchResult;

/**
 * What one phase of an S3 run achieved.
 *
 * @param result       bytes, successful requests ({@code ios}), GiB/s, req/s ({@code iops}) and latency
 *                     percentiles of the successful requests.
 * @param p90Us        90th percentile latency, microseconds.
 * @param gets         successful GETs.
 * @param puts         successful PUTs.
 * @param getBytes     bytes the GETs read.
 * @param putBytes     bytes the PUTs wrote.
 * @param errors       failed requests by HTTP status ({@code "403"}), or {@code io} (connection lost mid-request),
 *                     {@code connect} (could not connect), {@code size} (a GET's body was not the object size).
 * @param firstFailure the first exception seen, or null.
 */
public record S3Result(BenchResult result, double p90Us, long gets, long puts, long getBytes, long putBytes,
    Map<String, Long> errors, String firstFailure)
{
    /** Copies the error map. */
    public S3Result
    {
        errors = Map.copyOf(errors);
    }

    /** @return failed requests of every kind. */
    public long errorCount()
    {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return successful and failed requests. */
    public long requests()
    {
        return result.ios() + errorCount();
    }

    /** @return e.g. {@code 403 x 12, io x 1}, or {@code none}. */
    public String errorsText()
    {
        return describe(errors);
    }

    /**
     * @param errors failed requests by kind.
     * @return e.g. {@code 403 x 12, io x 1}, or {@code none}.
     */
    static String describe(final Map<String, Long> errors)
    {
        if (errors.isEmpty())
        {
            return "none";
        }
        final StringBuilder sb = new StringBuilder();
        new TreeMap<>(errors).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(" x ").append(v));
        return sb.toString();
    }
}
