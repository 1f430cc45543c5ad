package dev.conduit.scheduler;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Interval histograms for one writer that records in batches: like HdrHistogram's
 * {@code SingleWriterRecorder}, but several histograms share one {@link WriterReaderPhaser} and the
 * writer enters its critical section once per batch instead of once per value, so recording a value
 * is a plain histogram update. Readers swap a histogram's active and inactive copies as
 * {@code Recorder} does.
 *
 * <pre>{@code
 * final long token = recorder.begin();             // writer, once per duty cycle
 * try { recorder.record(0, v1); recorder.record(1, v2); } finally { recorder.end(token); }
 * interval = recorder.intervalHistogram(0, interval);   // any reader thread
 * }</pre>
 *
 * <p>Assumptions: one writer thread; its batches are short (no blocking between begin and end),
 * because a reader's swap waits for the batch in progress. Guarantees: the writer never blocks or
 * allocates; a reader gets every value recorded before its call, each exactly once across calls.
 */
final class BatchRecorder
{
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final long[] highestTrackableValues;
    private final int significantDigits;
    private final Histogram[] active;

    /**
     * @param significantDigits      precision of every histogram.
     * @param highestTrackableValues one entry per histogram: its largest value.
     */
    BatchRecorder(final int significantDigits, final long... highestTrackableValues)
    {
        this.highestTrackableValues = highestTrackableValues.clone();
        this.significantDigits = significantDigits;
        this.active = new Histogram[highestTrackableValues.length];
        for (int i = 0; i < active.length; i++)
        {
            active[i] = new Histogram(highestTrackableValues[i], significantDigits);
        }
    }

    /** Writer: opens a batch; returns the token for {@link #end(long)}. */
    long begin()
    {
        return phaser.writerCriticalSectionEnter();
    }

    /**
     * Writer, inside a batch.
     *
     * @param histogram which histogram.
     * @param value     a value in {@code [0, highestTrackableValue]}.
     */
    void record(final int histogram, final long value)
    {
        active[histogram].recordValue(value);
    }

    /** Writer: closes the batch opened by {@link #begin()}. */
    void end(final long token)
    {
        phaser.writerCriticalSectionExit(token);
    }

    /**
     * Reader: the values recorded into one histogram since the previous call for it.
     *
     * @param histogram which histogram.
     * @param recycle   the histogram returned by the previous call for it (reused), or null.
     * @return the interval histogram.
     */
    synchronized Histogram intervalHistogram(final int histogram, final Histogram recycle)
    {
        final Histogram next = recycle != null ? recycle :
            new Histogram(highestTrackableValues[histogram], significantDigits);
        next.reset();
        phaser.readerLock();
        try
        {
            final Histogram sampled = active[histogram];
            active[histogram] = next;
            // Waits until a batch that may still be writing into the old histogram has ended.
            phaser.flipPhase(500_000L);
            return sampled;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
