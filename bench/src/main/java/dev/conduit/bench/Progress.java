package dev.conduit.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line on stderr: rewritten in place ({@code \r}) on a terminal, one line per
 * update otherwise, nothing when quiet. Notes (e.g. "laying out ...") always get their own line.
 *
 * <p>Threading: used by the thread running the benchmark only.
 */
public final class Progress
{
    private final PrintStream out;
    private final boolean inPlace;
    private final boolean quiet;
    private int lastLength;

    /**
     * @param out     usually {@code System.err}.
     * @param inPlace rewrite one line (a terminal) instead of printing a line per update.
     * @param quiet   print nothing.
     */
    public Progress(final PrintStream out, final boolean inPlace, final boolean quiet)
    {
        this.out = out;
        this.inPlace = inPlace;
        this.quiet = quiet;
    }

    /** @return a progress that prints nothing. */
    public static Progress silent()
    {
        return new Progress(System.err, false, true);
    }

    /**
     * Prints a line of its own.
     *
     * @param message the note.
     */
    public void note(final String message)
    {
        if (!quiet)
        {
            finishLine();
            out.println(message);
            out.flush();
        }
    }

    /**
     * Prints (or rewrites) the progress line.
     *
     * @param tool        who is running.
     * @param elapsedS    seconds since measuring began.
     * @param bytesPerSec throughput over the last interval.
     * @param iops        operations per second over the last interval.
     * @param p99Us       the last interval's 99th percentile latency.
     */
    public void update(final String tool, final double elapsedS, final double bytesPerSec, final double iops, final double p99Us)
    {
        if (quiet)
        {
            return;
        }
        final String line = String.format(Locale.ROOT, "%-7s %6.1fs  %8.3f GiB/s  %10.0f IOPS  p99 %s",
            tool, elapsedS, bytesPerSec / BenchResult.GIB, iops, formatUs(p99Us));
        if (inPlace)
        {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        }
        else
        {
            out.println(line);
        }
        out.flush();
    }

    /** Ends a line rewritten in place, so the next output starts on its own. */
    public void finishLine()
    {
        if (!quiet && inPlace && lastLength > 0)
        {
            out.println();
            lastLength = 0;
        }
    }

    /**
     * @param us microseconds.
     * @return e.g. {@code 12.3 us} or {@code 45.6 ms}.
     */
    public static String formatUs(final double us)
    {
        if (us >= 10_000)
        {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.1f us", us);
    }
}
