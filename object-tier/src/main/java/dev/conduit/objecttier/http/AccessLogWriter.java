package dev.conduit.objecttier.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes access-log lines on a thread of its own. Lines are recorded on event loops and request
 * threads, which must never wait on a terminal, a pipe or a disk; a full buffer drops the line and
 * counts it instead ({@link #droppedLines()}), so a stalled reader of the log cannot stall the server.
 * Lines are written in the order they were accepted and flushed whenever the buffer runs empty.
 *
 * <p>A line is copied, as UTF-8, into one ring of bytes made with the writer ({@link #line}), so
 * recording it makes no String: {@link AccessLog} hands its reused builder straight in. The ring
 * holds at most {@code capacity} lines, and at most {@link #RING_BYTES_MAX} bytes.
 *
 * <p>The writer does not wait on the ring: it writes out what is there, and when it finds it empty
 * sleeps {@link #IDLE_SLEEP_NS} before looking again. A line therefore reaches the log at most that
 * late, and recording one never wakes a thread: a blocking wait made every request's line signal
 * the sleeping writer (a futex wake on the event loop) and every line a write of its own, which a
 * profile of 4 KiB GETs showed as about a tenth of the server's CPU per request.
 */
public final class AccessLogWriter implements Consumer<String>, AutoCloseable
{
    /** Lines held before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 65_536;

    /** How long the writer sleeps when it found the ring empty. */
    static final long IDLE_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Most bytes the ring holds: 16,384 lines of 256 bytes (the usual size), 0.4 s of lines at 40,000 requests/s. */
    static final int RING_BYTES_MAX = 4 << 20;
    private static final int LINE_BYTES = 256;

    private final OutputStream out;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] ring;
    private final int mask;
    private final int capacityLines;
    /** Guarded by {@link #lock}: bytes before it have been written out. */
    private long head;
    /** Guarded by {@link #lock}: the end of the last whole line recorded. */
    private long tail;
    /** Guarded by {@link #lock}: lines recorded and not yet taken by the writer thread (whose bytes it still holds). */
    private int lines;
    private long dropped;
    private volatile boolean closing;

    /**
     * @param out      where lines go (UTF-8, one per line); not closed by this writer.
     * @param capacity lines held before new ones are dropped.
     */
    public AccessLogWriter(final OutputStream out, final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.out = out;
        this.capacityLines = capacity;
        final long wanted = Math.min((long)capacity * LINE_BYTES, RING_BYTES_MAX);
        this.ring = new byte[Integer.highestOneBit((int)Math.max(wanted - 1, LINE_BYTES - 1)) << 1];
        this.mask = ring.length - 1;
        this.thread = Thread.ofPlatform().daemon().name("conduit-s3-access-log").start(this::run);
    }

    @Override
    public void accept(final String line)
    {
        line(line);
    }

    /**
     * Records one line (a newline is added), or drops and counts it when the ring is full.
     *
     * @param line the line's text, read only during this call (a caller may reuse it at once).
     */
    public void line(final CharSequence line)
    {
        final int lengthBytes = Utf8Lines.encodedLength(line) + 1;
        lock.lock();
        try
        {
            if (closing || lines == capacityLines || lengthBytes > ring.length - (tail - head))
            {
                dropped++;
                return;
            }
            final long end = Utf8Lines.encode(line, ring, mask, tail);
            ring[(int)end & mask] = '\n';
            tail = end + 1;
            lines++;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return lines dropped because the ring was full or the writer closed. */
    public long droppedLines()
    {
        lock.lock();
        try
        {
            return dropped;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Writes what is held, flushes, and stops the thread. */
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
        try
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final boolean stopping = closing;
                if (!writeHeld())
                {
                    if (stopping)
                    {
                        return;
                    }
                    LockSupport.parkNanos(this, IDLE_SLEEP_NS);
                }
            }
        }
        catch (final IOException e)
        {
            // The log's reader went away (closed pipe): serving goes on, further lines are dropped.
            closing = true;
            lock.lock();
            try
            {
                dropped += lines;
                head = tail;
                lines = 0;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Takes the whole lines held (they no longer count against the capacity in lines, as a queue's
     * drained lines), writes them straight from the ring (producers only fill the free part), then
     * frees their bytes, and flushes when the ring has run empty.
     *
     * @return whether there was anything to write.
     */
    private boolean writeHeld() throws IOException
    {
        final long from;
        final long to;
        lock.lock();
        try
        {
            from = head;
            to = tail;
            lines = 0;
        }
        finally
        {
            lock.unlock();
        }
        if (from == to)
        {
            return false;
        }
        final int start = (int)from & mask;
        final int lengthBytes = (int)(to - from);
        final int first = Math.min(lengthBytes, ring.length - start);
        out.write(ring, start, first);
        if (first < lengthBytes)
        {
            out.write(ring, 0, lengthBytes - first);
        }
        final boolean empty;
        lock.lock();
        try
        {
            head = to;
            empty = head == tail;
        }
        finally
        {
            lock.unlock();
        }
        if (empty)
        {
            out.flush();
        }
        return true;
    }
}
