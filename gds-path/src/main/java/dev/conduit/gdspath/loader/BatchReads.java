package dev.conduit.gdspath.loader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.conduit.gdspath.ReadCallback;

/**
 * Counts one batch's range reads down: done when every read has called back, with the first failure
 * (so the batch's buffer is never handed back while a read may still land in it). One per ring buffer,
 * {@link #reset} for each batch that buffer carries: no future and no counter object per batch, and the
 * reads call it back directly (the data path's callback form).
 *
 * <p>Threading: {@link #reset} by the issuing thread before the batch's first read is submitted (so no
 * read of an earlier batch is still out: the buffer came back only after {@link #await}); reads complete
 * on any thread; any thread may {@link #await}.
 */
final class BatchReads implements ReadCallback
{
    private static final VarHandle REMAINING;

    static
    {
        try
        {
            REMAINING = MethodHandles.lookup().findVarHandle(BatchReads.class, "remaining", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")                // through REMAINING
    private volatile int remaining;
    private volatile Throwable failure;
    private volatile boolean done;

    /**
     * Arms the counter for a new batch.
     *
     * @param reads how many reads will call {@link #onRead} (a read that could not start calls it too).
     */
    void reset(final int reads)
    {
        failure = null;
        done = reads == 0;
        remaining = reads;
    }

    @Override
    public void onRead(final long tag, final Throwable t)
    {
        if (t != null && failure == null)
        {
            failure = t;
        }
        if ((int)REMAINING.getAndAdd(this, -1) == 1)
        {
            synchronized (this)
            {
                done = true;
                notifyAll();
            }
        }
    }

    /** @return whether every read has called back. */
    boolean isDone()
    {
        return done;
    }

    /**
     * Waits until every read has called back; an interrupt does not end the wait (the buffer must not be
     * reused or handed back while a read may still land in it) and stays set.
     *
     * @return the first read's failure, or null when every byte landed.
     */
    Throwable await()
    {
        if (!done)
        {
            boolean interrupted = false;
            synchronized (this)
            {
                while (!done)
                {
                    try
                    {
                        wait();
                    }
                    catch (final InterruptedException e)
                    {
                        interrupted = true;
                    }
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }
}
