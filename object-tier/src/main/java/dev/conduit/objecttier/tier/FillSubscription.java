package dev.conduit.objecttier.tier;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;

/**
 * One request's share of a {@link Fill}'s stream: the pieces handed out before it joined (from the
 * fill's {@link Replay}), then the ones handed out since, in order, then the end or the failure.
 *
 * <p>Threading: the fill's thread offers; the request's thread takes and unsubscribes.
 */
public final class FillSubscription
{
    /** Offered after the last piece of a fill whose object was published. */
    static final Object END = new Object();
    private static final long OFFER_POLL_MS = 100;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(Fill.QUEUE_PIECES);
    // The pieces handed out before this request joined (read only by the request's thread).
    private final ArrayDeque<Fill.Piece> missed;
    private volatile boolean gone;

    /**
     * @param missed the pieces handed out before the request joined, in order.
     */
    FillSubscription(final List<Fill.Piece> missed)
    {
        this.missed = new ArrayDeque<>(missed);
    }

    /**
     * @return the next piece, or null at the end (after a successful commit).
     * @throws ConduitException when the fill failed; the response must be cut.
     * @throws InterruptedException when interrupted.
     */
    public Fill.Piece next() throws InterruptedException
    {
        if (!missed.isEmpty())
        {
            return missed.poll();
        }
        final Object item = queue.take();
        if (item == END)
        {
            return null;
        }
        if (item instanceof ConduitException e)
        {
            throw e;
        }
        return (Fill.Piece)item;
    }

    /** The subscriber is gone (its client disconnected): the fill continues without it. */
    public void unsubscribe()
    {
        gone = true;
        missed.clear();
        queue.clear();
    }

    /**
     * Waits for room (a slow subscriber paces the fill rather than make it buffer without bound), unless it is gone.
     *
     * @param item a piece, {@link #END}, or the fill's failure.
     * @throws InterruptedException when interrupted.
     */
    void offer(final Object item) throws InterruptedException
    {
        while (!gone && !queue.offer(item, OFFER_POLL_MS, TimeUnit.MILLISECONDS))
        {
            // The subscriber is slow: the fill waits for it.
        }
    }

    /** Drops what is queued: the fill failed, and its failure is offered instead of the pieces still waiting. */
    void dropQueued()
    {
        queue.clear();
    }
}
