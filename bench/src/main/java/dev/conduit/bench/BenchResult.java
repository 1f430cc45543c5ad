package dev.conduit.bench;

import org.HdrHistogram.Histogram;

/**
 * What one side of a benchmark achieved.
 *
 * @param tool       {@code conduit} or {@code fio}.
 * @param detail     e.g. the backend used, or fio's version.
 * @param bytes      bytes transferred.
 * @param ios        I/Os completed.
 * @param seconds    wall time the I/O took.
 * @param gibPerSec  throughput in GiB/s.
 * @param iops       I/Os per second.
 * @param p50Us      median latency, microseconds.
 * @param p99Us      99th percentile latency, microseconds.
 * @param p999Us     99.9th percentile latency, microseconds.
 * @param maxUs      largest latency, microseconds.
 * @param latencySamples I/Os whose latency the percentiles are over (one per measured I/O).
 */
public record BenchResult(
    String tool, String detail, long bytes, long ios, double seconds, double gibPerSec, double iops,
    double p50Us, double p99Us, double p999Us, double maxUs, long latencySamples)
{
    /** Bytes per GiB. */
    public static final double GIB = 1024.0 * 1024 * 1024;

    /**
     * The figures of a run whose latencies (nanoseconds) are in a histogram.
     *
     * @param tool      {@code conduit}, {@code fio} or {@code s3}.
     * @param detail    what it ran on.
     * @param bytes     bytes transferred.
     * @param ios       I/Os completed.
     * @param seconds   wall time.
     * @param latencyNs one value per measured I/O, in nanoseconds.
     * @return the result.
     */
    public static BenchResult of(final String tool, final String detail, final long bytes, final long ios,
        final double seconds, final Histogram latencyNs)
    {
        return new BenchResult(tool, detail, bytes, ios, seconds, bytes / seconds / GIB, ios / seconds,
            latencyNs.getValueAtPercentile(50) / 1000.0, latencyNs.getValueAtPercentile(99) / 1000.0,
            latencyNs.getValueAtPercentile(99.9) / 1000.0, latencyNs.getMaxValue() / 1000.0, latencyNs.getTotalCount());
    }
}
