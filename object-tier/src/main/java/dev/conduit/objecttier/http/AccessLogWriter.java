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
import java.util.function.Consumer;

/**
 * Writes access-log lines on a thread of its own. Lines are recorded on event loops and request
 * threads, which must never wait on a terminal, a pipe or a disk; a full queue drops the line and
 * counts it instead ({@link #droppedLines()}), so a stalled reader of the log cannot stall the server.
 * Lines are written in the order they were accepted and flushed whenever the queue runs empty.
 */
public final class AccessLogWriter implements Consumer<String>, AutoCloseable
{
    /** Lines held before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 65_536;

    private static final int BATCH = 256;
    private static final long POLL_MS = 100;

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
            while (!closing || !queue.isEmpty())
            {
                final String first = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null)
                {
                    continue;
                }
                batch.add(first);
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
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
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
