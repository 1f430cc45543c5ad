package dev.conduit.cli.tier;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a one-shot command's wall time went ({@code tier prefetch --timeline}): named marks in
 * seconds since the JVM was created (the launcher's time before it is not counted), printed on
 * stderr when the command ends, so stdout keeps only the summary. A disabled timeline records
 * nothing.
 */
final class PhaseTimeline
{
    private final boolean enabled;
    private final List<String> whats = new ArrayList<>();
    private final List<Long> atNs = new ArrayList<>();

    private PhaseTimeline(final boolean enabled)
    {
        this.enabled = enabled;
    }

    /**
     * @param enabled whether to record.
     * @return a timeline whose origin is the JVM's start, or a disabled one.
     */
    static PhaseTimeline start(final boolean enabled)
    {
        return new PhaseTimeline(enabled);
    }

    /**
     * Records that {@code what} happened now.
     *
     * @param what the phase that just ended, e.g. "store open".
     */
    void mark(final String what)
    {
        markAt(what, System.nanoTime());
    }

    /**
     * Records that {@code what} happened at {@code nanoTime} (marks are printed in the order recorded).
     *
     * @param what     the phase that ended.
     * @param nanoTime when, as {@link System#nanoTime()}.
     */
    synchronized void markAt(final String what, final long nanoTime)
    {
        if (enabled)
        {
            whats.add(what);
            atNs.add(nanoTime);
        }
    }

    /**
     * Records {@code what} at the first call only (e.g. the first object landed).
     *
     * @param what the event.
     */
    synchronized void markOnce(final String what)
    {
        if (!whats.contains(what))
        {
            mark(what);
        }
    }

    /**
     * Prints one line per mark: seconds since the JVM started, seconds since the previous mark, what.
     *
     * @param err the command's stderr.
     */
    synchronized void print(final PrintWriter err)
    {
        if (!enabled)
        {
            return;
        }
        // The JVM's own start time (taken when it was created, to the millisecond), read only now: the management
        // classes it needs would otherwise count in the marks.
        final long originNs = System.nanoTime()
            - (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) * 1_000_000L;
        long previousNs = originNs;
        for (int i = 0; i < whats.size(); i++)
        {
            err.println(String.format(Locale.ROOT, "timeline %7.3f s (+%.3f s) %s",
                (atNs.get(i) - originNs) / 1e9, (atNs.get(i) - previousNs) / 1e9, whats.get(i)));
            previousNs = atNs.get(i);
        }
        err.flush();
    }
}
