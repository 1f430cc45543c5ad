package dev.conduit.core.memory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the I/O in flight on some memory and keeps it from being freed meanwhile: a scheduler
 * {@link #tryAcquire() acquires} the guard when it accepts a request on the memory and
 * {@link #release() releases} it when the request has completed, and {@link #close()} succeeds only
 * when nothing holds it. This gives asynchronous I/O the rule the JDK gives a downcall: a shared
 * arena cannot be closed while a call is using its memory.
 *
 * <p>Threading: lock-free and safe from any thread; one compare-and-set per acquire and per release.
 */
public final class MemoryGuard
{
    private static final int CLOSED = -1;

    private final AtomicInteger holds = new AtomicInteger();

    /**
     * Takes a hold unless the guard is closed.
     *
     * @return true when held (the caller must {@link #release()} once); false when closed.
     */
    public boolean tryAcquire()
    {
        final AtomicInteger holds = this.holds;
        int current;
        do
        {
            current = holds.get();
            if (current == CLOSED)
            {
                return false;
            }
        }
        while (!holds.compareAndSet(current, current + 1));
        return true;
    }

    /** Gives back a hold taken by {@link #tryAcquire()}. */
    public void release()
    {
        if (holds.getAndDecrement() <= 0)
        {
            holds.incrementAndGet();
            throw new IllegalStateException("memory guard released more often than acquired");
        }
    }

    /**
     * Closes the guard so that no new hold can be taken; idempotent.
     *
     * @throws IllegalStateException when I/O still holds it (the memory must not be freed yet).
     */
    public void close()
    {
        final int current = holds.compareAndExchange(0, CLOSED);
        if (current != 0 && current != CLOSED)
        {
            throw new IllegalStateException("memory is in use by " + current + " I/O request(s) in flight");
        }
    }

    /** @return true once {@link #close()} has succeeded. */
    public boolean isClosed()
    {
        return holds.get() == CLOSED;
    }

    /** @return holds now taken (0 when closed). */
    public int holds()
    {
        return Math.max(0, holds.get());
    }
}
