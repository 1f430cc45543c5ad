package dev.conduit.gdspath;

import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and a latency recorder of one path. Writers (submitting and completing threads) never
 * block; {@link #snapshot()} folds the recorder's interval into a cumulative histogram.
 *
 * <p>Threading: record from any thread; snapshot from any thread (serialised here).
 */
final class PathRecorder
{
    private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    private final PathKind kind;
    private final LongAdder reads = new LongAdder();
    private final LongAdder readBytes = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder writeBytes = new LongAdder();
    private final LongAdder submitCpuNs = new LongAdder();
    private final Recorder latency = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    private final Histogram cumulative = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private Histogram interval;

    PathRecorder(final PathKind kind)
    {
        this.kind = kind;
    }

    void onReadDone(final long latencyNs, final long bytes, final boolean failed)
    {
        reads.increment();
        if (failed)
        {
            readErrors.increment();
        }
        else
        {
            readBytes.add(bytes);
        }
        latency.recordValue(Math.min(Math.max(latencyNs, 0), HIGHEST_TRACKABLE_NS));
    }

    void onSubmitted(final long cpuNs)
    {
        submitCpuNs.add(cpuNs);
    }

    void onWritten(final long bytes, final long cpuNs)
    {
        submitCpuNs.add(cpuNs);
        writes.increment();
        writeBytes.add(bytes);
    }

    /**
     * @param engineCpuNs CPU time of the path's engine thread so far.
     * @return the counters, the cumulative latency histogram (a copy) and the CPU times.
     */
    synchronized PathStats snapshot(final long engineCpuNs)
    {
        interval = latency.getIntervalHistogram(interval);
        cumulative.add(interval);
        return new PathStats(kind, reads.sum(), readBytes.sum(), readErrors.sum(), writes.sum(), writeBytes.sum(),
            cumulative.copy(), submitCpuNs.sum(), engineCpuNs);
    }
}
