package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;


/**
 * The ByteBuf of one {@link ReadBufferPool} buffer, made once with the pool and handed out again
 * for every piece read into that buffer (as Netty's own pooled buffers are recycled), so a GET
 * allocates no wrapper per piece: Netty writes it to the socket straight from the native memory
 * (no copy, from its address: {@link AddressedDirectByteBuf}), and when its last reference goes (the write completed or failed, or the channel
 * closed with it queued) the buffer goes back to the pool and the connection's in-flight permit
 * is returned.
 *
 * <pre>{@code
 * final PooledReadBuf buf = pool.acquire();              // not yet a piece: piece() gives it its reference
 * ... read the piece into buf.segment() at [lead, lead + length) ...
 * channel.writeAndFlush(buf.piece(lead, length, permits)); // ownership passes to Netty
 * }</pre>
 *
 * <p>Like any released ByteBuf, it must not be touched after its last release: the pool may
 * already have handed it out for another piece.
 */
final class PooledReadBuf extends AddressedDirectByteBuf implements EndsOnRelease
{
    private final ReadBufferPool pool;
    private final MemorySegment segment;
    private Semaphore connectionPermits;
    private Runnable onReleased;

    /**
     * @param pool    the pool that owns the memory and takes this back.
     * @param segment the whole pooled buffer.
     */
    PooledReadBuf(final ReadBufferPool pool, final MemorySegment segment)
    {
        super(segment.asByteBuffer());
        this.pool = pool;
        this.segment = segment;
    }

    /** @return the whole pooled buffer, to read a piece into. */
    MemorySegment segment()
    {
        return segment;
    }

    /**
     * Makes this buffer one piece of a response: its readable bytes become {@code [offset, offset + length)}.
     *
     * @param offset            first byte to send.
     * @param length            bytes to send.
     * @param permits           released once when the buffer goes back.
     * @return this, with one reference, which the caller hands on.
     */
    PooledReadBuf piece(final int offset, final int length, final Semaphore permits)
    {
        resetRefCnt();
        setIndex(offset, offset + length);
        this.connectionPermits = permits;
        this.onReleased = null;
        return this;
    }

    /**
     * Makes this piece's going back to the pool signal something: the last piece of a body is
     * written without a promise, and its release is when its write completed or failed.
     *
     * @param task run once, on whichever thread releases the piece last, after the buffer is back.
     * @return this.
     */
    @Override
    public PooledReadBuf onReleased(final Runnable task)
    {
        this.onReleased = task;
        return this;
    }

    @Override
    protected void deallocate()
    {
        // Not super.deallocate(): this wrapper lives as long as the pool, and the memory is the pool's arena's.
        final Semaphore permits = connectionPermits;
        final Runnable task = onReleased;
        connectionPermits = null;
        onReleased = null;
        pool.release(this);
        if (permits != null)
        {
            permits.release();
        }
        if (task != null)
        {
            task.run();
        }
    }
}
