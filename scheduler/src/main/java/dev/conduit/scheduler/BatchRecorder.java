package dev.conduit.scheduler;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * An interval histogram recorder for one writer that records in batches: like HdrHistogram's
 * {@code SingleWriterRecorder}, but the writer enters the {@link WriterReaderPhaser} critical
 * section once per batch instead of once per value, so recording a value is a plain histogram
 * update. Readers swap the active and inactive histograms exactly as {@code Recorder} does.
 *
 * <pre>{@code
 * final long token = recorder.begin();        // writer, once per duty cycle
 * try { recorder.record(v1); recorder.record(v2); } finally { recorder.end(token); }
 * interval = recorder.intervalHistogram(interval);   // any reader thread
 * }</pre>
 *
 * <p>Assumptions: one writer thread; its batches are short (no blocking between begin and end),
 * because a reader's swap waits for the batch in progress. Guarantees: the writer never blocks
 * or allocates; a reader gets every value recorded before its call, each exactly once across calls.
 */
final class BatchRecorder
{
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final long highestTrackableValue;
    private final int significantDigits;
    private volatile Histogram active;
    private Histogram batch;

    BatchRecorder(final long highestTrackableValue, final int significantDigits)
    {
        this.highestTrackableValue = highestTrackableValue;
        this.significantDigits = significantDigits;
        this.active = new Histogram(highestTrackableValue, significantDigits);
    }

    /** Writer: opens a batch; returns the token for {@link #end(long)}. */
    long begin()
    {
        final long token = phaser.writerCriticalSectionEnter();
        batch = active;
        return token;
    }

    /**
     * Writer, inside a batch.
     *
     * @param value a value in {@code [0, highestTrackableValue]}.
     */
    void record(final long value)
    {
        batch.recordValue(value);
    }

    /** Writer: closes the batch opened by {@link #begin()}. */
    void end(final long token)
    {
        batch = null;
        phaser.writerCriticalSectionExit(token);
    }

    /**
     * Reader: the values recorded since the previous call.
     *
     * @param recycle the histogram returned by the previous call (reused), or null.
     * @return the interval histogram.
     */
    synchronized Histogram intervalHistogram(final Histogram recycle)
    {
        final Histogram next = recycle != null ? recycle : new Histogram(highestTrackableValue, significantDigits);
        next.reset();
        phaser.readerLock();
        try
        {
            final Histogram sampled = active;
            active = next;
            // Waits until a batch that began on the old histogram has ended.
            phaser.flipPhase(500_000L);
            return sampled;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
