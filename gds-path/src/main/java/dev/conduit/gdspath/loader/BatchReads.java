package dev.conduit.gdspath.loader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

import dev.conduit.gdspath.ReadCallback;

/**
 * Completes when every range read of one batch has: with the first failure, after all of them
 * (so the batch's buffer is never handed back while a read may still land in it). One counter per
 * batch, and the reads call it back directly (the data path's callback form), instead of
 * {@code allOf}'s tree of futures or a future per read.
 *
 * <p>Threading: reads complete on any thread.
 */
final class BatchReads extends CompletableFuture<Void> implements ReadCallback
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

    /** @param reads how many reads will call {@link #onRead} (a read that could not start calls it too). */
    BatchReads(final int reads)
    {
        this.remaining = reads;
        if (reads == 0)
        {
            complete(null);
        }
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
            final Throwable f = failure;
            if (f == null)
            {
                complete(null);
            }
            else
            {
                completeExceptionally(f);
            }
        }
    }
}
