package dev.conduit.gdspath;

import org.HdrHistogram.Histogram;

/**
 * What one path has done since its {@link DataPath} opened, as a snapshot.
 *
 * @param kind           the path.
 * @param reads          reads completed, failed ones included.
 * @param readBytes      bytes delivered by successful reads.
 * @param readErrors     reads that failed.
 * @param writes         objects written.
 * @param writeBytes     bytes written.
 * @param readLatencyNs  submission to completion of every read, nanoseconds (a copy; the caller owns it).
 * @param submitCpuNs    CPU time the calling threads spent submitting reads (thread CPU clock);
 *                       completion-thread CPU is not measured (those are the scheduler's device threads,
 *                       see its metrics).
 */
public record PathStats(
    PathKind kind, long reads, long readBytes, long readErrors, long writes, long writeBytes, Histogram readLatencyNs,
    long submitCpuNs)
{
}
