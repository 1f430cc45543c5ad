package dev.conduit.objecttier.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Writes access-log lines on a thread of its own. Lines are recorded on event loops and request
 * threads, which must never wait on a terminal, a pipe or a disk; a full queue drops the line and
 * counts it instead ({@link #droppedLines()}), so a stalled reader of the log cannot stall the server.
 * Lines are written in the order they were accepted and flushed whenever the queue runs empty.
 *
 * <p>The writer does not wait on the queue: it drains it, and when it finds it empty sleeps
 * {@link #IDLE_SLEEP_NS} before looking again. A line therefore reaches the log at most that late,
 * and recording one never wakes a thread: a blocking wait made every request's {@code offer} signal
 * the sleeping writer (a futex wake on the event loop) and every line a write of its own, which a
 * profile of 4 KiB GETs showed as about a tenth of the server's CPU per request.
 */
public final class AccessLogWriter implements Consumer<String>, AutoCloseable
{
    /** Lines held before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 65_536;

    /** How long the writer sleeps when it found the queue empty. */
    static final long IDLE_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final int BATCH = 256;

    private final BlockingQueue<String> queue;
    private final Writer out;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    /**
     * @param out      where lines go (UTF-8, one per line); not closed by this writer.
     * @param capacity lines held before new ones are dropped.
     */
    public AccessLogWriter(final OutputStream out, final int capacity)
    {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        this.thread = Thread.ofPlatform().daemon().name("conduit-s3-access-log").start(this::run);
    }

    @Override
    public void accept(final String line)
    {
        if (closing || !queue.offer(line))
        {
            dropped.incrementAndGet();
        }
    }

    /** @return lines dropped because the queue was full or the writer closed. */
    public long droppedLines()
    {
        return dropped.get();
    }

    /** Writes what is queued, flushes, and stops the thread. */
    @Override
    public void close()
    {
        closing = true;
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        final List<String> batch = new ArrayList<>(BATCH);
        try
        {
            while ((!closing || !queue.isEmpty()) && !Thread.currentThread().isInterrupted())
            {
                if (queue.isEmpty())
                {
                    LockSupport.parkNanos(this, IDLE_SLEEP_NS);
                    continue;
                }
                do
                {
                    queue.drainTo(batch, BATCH);
                    for (final String line : batch)
                    {
                        out.write(line);
                        out.write('\n');
                    }
                    batch.clear();
                }
                while (!queue.isEmpty());
                out.flush();
            }
        }
        catch (final IOException e)
        {
            // The log's reader went away (closed pipe): serving goes on, further lines are dropped.
            closing = true;
            dropped.addAndGet(queue.size());
            queue.clear();
        }
    }
}
