package dev.conduit.bench;

/**
 * One point of a latency percentile spectrum.
 *
 * @param percentile 0..100, e.g. 99.9.
 * @param us         the latency at that percentile, microseconds.
 */
public record LatencyPoint(double percentile, double us)
{
}
