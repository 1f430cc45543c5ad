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
 * @param submitCpuNs    CPU time the calling threads spent submitting reads and running writes (thread
 *                       CPU clock); the scheduler's device threads, which complete host-path reads, are
 *                       shared with other work and not counted here (see the scheduler's metrics).
 * @param engineCpuNs    CPU time of the path's own engine thread (the GDS or bounce agent, thread CPU
 *                       clock); 0 on the host path, which has no thread of its own.
 */
public record PathStats(
    PathKind kind, long reads, long readBytes, long readErrors, long writes, long writeBytes, Histogram readLatencyNs,
    long submitCpuNs, long engineCpuNs)
{
    private static final double GIB = 1L << 30;

    /** @return submitting and engine CPU-seconds per GiB read and written (0 when nothing moved). */
    public double cpuSecondsPerGib()
    {
        final long bytes = readBytes + writeBytes;
        return bytes == 0 ? 0 : (submitCpuNs + engineCpuNs) / 1e9 / (bytes / GIB);
    }
}
