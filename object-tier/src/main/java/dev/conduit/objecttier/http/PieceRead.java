package dev.conduit.objecttier.http;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.scheduler.store.ObjectRangeReader;

/**
 * The completion of one scheduled range read of a GET: keeps the result and what the reader said
 * about a chunk that did not verify, then lets the subclass hand the outcome to whoever waits
 * ({@link ObjectStreamer}: the request's thread; {@link InlineGet}: the event loop).
 *
 * <p>Threading: the callbacks run on a device thread; the fields are read by the waiter after
 * {@link #completed()} has handed over.
 */
abstract class PieceRead implements ObjectRangeReader.CorruptionListener
{
    /** The read's result: the bytes read, or a negative code ({@link ObjectRangeReader#CORRUPT}). */
    protected volatile long result;
    /** What made the read {@link ObjectRangeReader#CORRUPT}, or null. */
    protected volatile CorruptExtentException corruption;

    @Override
    public final void onCorrupt(final long tag, final CorruptExtentException cause)
    {
        corruption = cause;
    }

    @Override
    public final void onComplete(final long tag, final long bytes)
    {
        result = bytes;
        completed();
    }

    /** Device thread: {@link #result} is set; wake or schedule whoever finishes the GET. */
    protected abstract void completed();
}
