package dev.conduit.bench;

/**
 * What one side moved in one interval of a run (about a second): the points of the report's throughput
 * chart and the {@code per_second} series in the run's JSON.
 *
 * @param atS       seconds since measuring began, at the end of the interval.
 * @param gibPerSec throughput over the interval, GiB/s.
 * @param iops      I/Os (or requests) per second over the interval.
 */
public record RateSample(double atS, double gibPerSec, double iops)
{
    /**
     * @param startNs when measuring began.
     * @param fromNs  the interval's start.
     * @param toNs    the interval's end.
     * @param bytes   bytes moved in the interval.
     * @param ios     I/Os (or requests) completed in the interval.
     * @return the interval's rates, stamped with its end.
     */
    public static RateSample between(final long startNs, final long fromNs, final long toNs, final long bytes,
        final long ios)
    {
        final double seconds = (toNs - fromNs) / 1e9;
        return new RateSample((toNs - startNs) / 1e9, bytes / seconds / BenchResult.GIB, ios / seconds);
    }
}
