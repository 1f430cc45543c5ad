package dev.conduit.bench;

import java.util.List;

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
 * @param perSecond  throughput and IOPS over each second of the run; empty where none was kept (medians).
 * @param spectrum   latency at each of {@link LatencySpectrum#PERCENTILES}; empty where none was kept.
 */
public record BenchResult(
    String tool, String detail, long bytes, long ios, double seconds, double gibPerSec, double iops,
    double p50Us, double p99Us, double p999Us, double maxUs, long latencySamples, List<RateSample> perSecond,
    List<LatencyPoint> spectrum)
{
    /**
     * The series are copied: a result is a value.
     */
    public BenchResult
    {
        perSecond = List.copyOf(perSecond);
        spectrum = List.copyOf(spectrum);
    }

    /**
     * A result with no per-second series and no spectrum (e.g. the medians over rounds).
     *
     * @param tool           {@code conduit}, {@code fio} or {@code s3}.
     * @param detail         what it ran on.
     * @param bytes          bytes transferred.
     * @param ios            I/Os completed.
     * @param seconds        wall time.
     * @param gibPerSec      GiB/s.
     * @param iops           I/Os per second.
     * @param p50Us          median latency, microseconds.
     * @param p99Us          p99, microseconds.
     * @param p999Us         p99.9, microseconds.
     * @param maxUs          largest latency, microseconds.
     * @param latencySamples I/Os the percentiles are over.
     */
    public BenchResult(
        final String tool, final String detail, final long bytes, final long ios, final double seconds,
        final double gibPerSec, final double iops, final double p50Us, final double p99Us, final double p999Us,
        final double maxUs, final long latencySamples)
    {
        this(tool, detail, bytes, ios, seconds, gibPerSec, iops, p50Us, p99Us, p999Us, maxUs, latencySamples, List.of(),
            List.of());
    }

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
            latencyNs.getValueAtPercentile(99.9) / 1000.0, latencyNs.getMaxValue() / 1000.0, latencyNs.getTotalCount(),
            List.of(), LatencySpectrum.of(latencyNs));
    }

    /**
     * @param samples the run's per-second throughput.
     * @return this result with them.
     */
    public BenchResult withPerSecond(final List<RateSample> samples)
    {
        return new BenchResult(tool, detail, bytes, ios, seconds, gibPerSec, iops, p50Us, p99Us, p999Us, maxUs,
            latencySamples, samples, spectrum);
    }
}
