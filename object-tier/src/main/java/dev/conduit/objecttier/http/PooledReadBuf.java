package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;

/**
 * A ByteBuf over bytes of a {@link ReadBufferPool} buffer: Netty writes it to the socket straight
 * from the native memory (no copy), and when its last reference goes (the write completed or
 * failed, or the channel closed with it queued) the buffer goes back to the pool and the
 * connection's in-flight permit is returned.
 */
final class PooledReadBuf extends UnpooledDirectByteBuf
{
    private final ReadBufferPool pool;
    private final MemorySegment buffer;
    private final Semaphore connectionPermits;

    /**
     * @param pool              the buffer's pool.
     * @param buffer            the whole pooled buffer.
     * @param offset            first byte to send.
     * @param length            bytes to send.
     * @param connectionPermits released once when the buffer goes back.
     */
    PooledReadBuf(final ReadBufferPool pool, final MemorySegment buffer, final int offset, final int length,
        final Semaphore connectionPermits)
    {
        super(UnpooledByteBufAllocator.DEFAULT, buffer.asSlice(offset, length).asByteBuffer(), length);
        this.pool = pool;
        this.buffer = buffer;
        this.connectionPermits = connectionPermits;
    }

    @Override
    protected void deallocate()
    {
        // The wrapped ByteBuffer is not ours to free (the pool's arena owns the memory).
        super.deallocate();
        pool.release(buffer);
        connectionPermits.release();
    }
}
