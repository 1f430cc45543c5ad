package dev.conduit.gdspath.loader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Completes when every range read of one batch has: with the first failure, after all of them
 * (so the batch's buffer is never handed back while a read may still land in it). One counter per
 * batch instead of {@code allOf}'s tree of futures and the array it needs.
 *
 * <p>Threading: reads complete on any thread.
 */
final class BatchReads extends CompletableFuture<Void> implements BiConsumer<Long, Throwable>
{
    private final AtomicInteger remaining;
    private volatile Throwable failure;

    /** @param reads how many reads will be {@linkplain #add added}. */
    BatchReads(final int reads)
    {
        this.remaining = new AtomicInteger(reads);
        if (reads == 0)
        {
            complete(null);
        }
    }

    /**
     * A read of the batch was started; a read that could not start counts as failed at once.
     *
     * @param read its future.
     */
    void add(final CompletableFuture<Long> read)
    {
        read.whenComplete(this);
    }

    @Override
    public void accept(final Long bytes, final Throwable t)
    {
        if (t != null && failure == null)
        {
            failure = t;
        }
        if (remaining.decrementAndGet() == 0)
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
