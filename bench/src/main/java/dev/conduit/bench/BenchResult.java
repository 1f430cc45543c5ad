package dev.conduit.bench;

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
}
