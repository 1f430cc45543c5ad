package dev.conduit.objecttier.metrics;

/**
 * The fixed upper bounds (in seconds) of the latency histogram buckets every scrape reports; the
 * recorded HdrHistogram is folded into these cumulative counts at scrape time.
 */
final class LatencyBuckets
{
    /** Upper bounds in microseconds, ascending; {@code +Inf} is implied after the last. */
    static final long[] UPPER_BOUNDS_US =
    {
        500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
        10_000_000, 30_000_000
    };

    /** The same bounds as Prometheus {@code le} label values (seconds). */
    static final String[] LABELS = labels();

    private LatencyBuckets()
    {
    }

    private static String[] labels()
    {
        final String[] labels = new String[UPPER_BOUNDS_US.length];
        for (int i = 0; i < labels.length; i++)
        {
            labels[i] = Double.toString(UPPER_BOUNDS_US[i] / 1e6);
        }
        return labels;
    }
}
