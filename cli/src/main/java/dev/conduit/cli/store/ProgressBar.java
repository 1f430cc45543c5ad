package dev.conduit.cli.store;

import java.io.PrintWriter;

import dev.conduit.blocklayout.ProgressListener;

/**
 * A one-line progress bar on stderr ({@code \r}-redrawn, at most every 100 ms) for long operations.
 * It draws only when asked to ({@code --progress}) or when stderr is a terminal, so scripts and
 * pipes stay clean.
 */
public final class ProgressBar implements ProgressListener
{
    private static final int WIDTH = 30;
    private static final long REDRAW_NS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean bytes;
    private final long startNs = System.nanoTime();
    private long lastDrawNs = Long.MIN_VALUE / 2;
    private boolean drew;

    private ProgressBar(final PrintWriter err, final String label, final boolean bytes)
    {
        this.err = err;
        this.label = label;
        this.bytes = bytes;
    }

    /**
     * @param err    where to draw (the command's stderr).
     * @param label  what is progressing, e.g. "put ckpt/1".
     * @param bytes  true when units are bytes (a rate is shown), false for counts.
     * @param forced {@code --progress} (true), {@code --no-progress} (false) or null (draw on a terminal).
     * @return a bar, or {@link ProgressListener#NONE}.
     */
    public static ProgressListener create(final PrintWriter err, final String label, final boolean bytes, final Boolean forced)
    {
        final boolean draw = forced != null ? forced : System.console() != null && System.console().isTerminal();
        return draw ? new ProgressBar(err, label, bytes) : ProgressListener.NONE;
    }

    @Override
    public void onProgress(final long done, final long total)
    {
        final long nowNs = System.nanoTime();
        final boolean finished = total > 0 && done >= total;
        if (!finished && nowNs - lastDrawNs < REDRAW_NS)
        {
            return;
        }
        lastDrawNs = nowNs;
        final double fraction = total > 0 ? Math.min(1.0, (double)done / total) : 0.0;
        final int filled = (int)(fraction * WIDTH);
        final StringBuilder line = new StringBuilder("\r").append(label).append(" [")
            .append("=".repeat(filled)).append(filled < WIDTH ? ">" : "").append(" ".repeat(Math.max(0, WIDTH - filled - 1)))
            .append("] ").append(String.format("%3d%%", (int)(fraction * 100)));
        if (bytes)
        {
            final double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
            line.append(String.format(" %.1f MiB/s", done / seconds / (1 << 20)));
        }
        else
        {
            line.append(' ').append(done).append('/').append(total);
        }
        err.print(line);
        drew = true;
        if (finished)
        {
            err.println();
            drew = false;
        }
        err.flush();
    }

    /** Ends the line if the bar is still drawn (the operation stopped early). */
    public void finish()
    {
        if (drew)
        {
            err.println();
            err.flush();
        }
    }
}
