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
}
