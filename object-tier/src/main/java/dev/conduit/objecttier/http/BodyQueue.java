package dev.conduit.objecttier.http;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.ByteBuf;

/**
 * The request body on its way from the event loop to the request's virtual thread. The event loop
 * {@link #offer}s each content buffer (ownership passes to the queue) and learns when the queue
 * holds more than the high-water mark, so it can stop reading the socket; the consumer
 * {@link #take}s buffers (ownership passes to it) and, once the queue has drained below the
 * low-water mark, the resume task runs on the event loop to read again. Memory per connection is
 * so bounded by the high-water mark plus one socket read.
 *
 * <p>A connection keeps one and {@link #reset}s it for each request (its lock, condition and deque
 * are made once per connection, not per request).
 *
 * <p>Threading: one producer (the event loop), one consumer (the request thread).
 */
final class BodyQueue
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final long highWaterBytes;
    private final long lowWaterBytes;
    private final Runnable resume;
    private long queuedBytes;
    private boolean ended;
    private boolean paused;
    private boolean discarded;
    private RuntimeException failure;

    /**
     * @param highWaterBytes queued bytes above which the producer pauses.
     * @param lowWaterBytes  queued bytes at or below which a paused producer resumes.
     * @param resume         run (by the consumer) to resume a paused producer; it must hop to the event loop.
     */
    BodyQueue(final long highWaterBytes, final long lowWaterBytes, final Runnable resume)
    {
        this.highWaterBytes = highWaterBytes;
        this.lowWaterBytes = lowWaterBytes;
        this.resume = resume;
    }

    /**
     * Event loop: makes the queue new for the connection's next request; the previous request has
     * ended (its thread is done and its queue discarded), so nothing else uses it.
     *
     * @return this.
     */
    BodyQueue reset()
    {
        lock.lock();
        try
        {
            discardQueued();
            ended = false;
            paused = false;
            discarded = false;
            failure = null;
            return this;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void discardQueued()
    {
        ByteBuf chunk;
        while ((chunk = chunks.pollFirst()) != null)
        {
            chunk.release();
        }
        queuedBytes = 0;
    }

    /**
     * Event loop: queues the next piece of the body.
     *
     * @param chunk body bytes; the queue now owns the reference.
     * @return whether the producer should stop reading until resumed.
     */
    boolean offer(final ByteBuf chunk)
    {
        lock.lock();
        try
        {
            if (discarded || failure != null || ended)
            {
                chunk.release();
                return false;
            }
            if (!chunk.isReadable())
            {
                chunk.release();
                return paused;
            }
            chunks.addLast(chunk);
            queuedBytes += chunk.readableBytes();
            changed.signalAll();
            if (queuedBytes > highWaterBytes)
            {
                paused = true;
            }
            return paused;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Event loop: the body is complete. */
    void end()
    {
        lock.lock();
        try
        {
            ended = true;
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Any thread: the body will never complete (disconnect, timeout, bad framing); the consumer's
     * next {@link #take} throws {@code cause}.
     *
     * @param cause what the consumer sees.
     */
    void fail(final RuntimeException cause)
    {
        lock.lock();
        try
        {
            if (failure == null && !ended)
            {
                failure = cause;
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Consumer: waits for the next piece.
     *
     * @return the next buffer (the caller releases it), or {@code null} at the end of the body.
     * @throws RuntimeException the failure given to {@link #fail}.
     */
    ByteBuf take()
    {
        boolean resumeProducer = false;
        final ByteBuf next;
        lock.lock();
        try
        {
            while (chunks.isEmpty() && !ended && failure == null)
            {
                changed.awaitUninterruptibly();
            }
            if (failure != null)
            {
                throw failure;
            }
            next = chunks.pollFirst();
            if (next != null)
            {
                queuedBytes -= next.readableBytes();
                if (paused && queuedBytes <= lowWaterBytes)
                {
                    paused = false;
                    resumeProducer = true;
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        if (resumeProducer)
        {
            resume.run();
        }
        return next;
    }

    /** Any thread: releases whatever is queued and drops whatever comes later. */
    void discard()
    {
        lock.lock();
        try
        {
            discarded = true;
            discardQueued();
            if (failure == null && !ended)
            {
                failure = new IllegalStateException("body discarded");
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }
}
