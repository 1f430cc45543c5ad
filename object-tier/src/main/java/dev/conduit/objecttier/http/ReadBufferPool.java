package dev.conduit.objecttier.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.conduit.nativebindings.AlignedMemory;

/**
 * The page-aligned native buffers objects are read into and written to sockets from: {@code count}
 * buffers of {@code bufferBytes} cut from one allocation of one shared {@link Arena}, so the memory
 * GETs use is fixed at startup however many clients read at once.
 *
 * <pre>{@code
 * final PooledReadBuf buf = pool.acquire();        // blocks (a virtual thread) while none is free
 * try { ... read into buf.segment(), write buf.piece(...): its last release gives it back ... }
 * catch (final Throwable t) { pool.release(buf); throw t; }
 * }</pre>
 *
 * <p>Allocation: each buffer's {@link PooledReadBuf} is made here, once, and reused for every
 * piece; acquiring and releasing allocate nothing.
 *
 * <p>Threading: acquire on any thread that may block; release from any thread (Netty releases on
 * the event loop when a write completes).
 */
public final class ReadBufferPool implements AutoCloseable
{
    /** Alignment of every buffer: a page, so block-aligned reads go straight in (O_DIRECT). */
    public static final int ALIGNMENT = 4096;

    private final Arena arena = Arena.ofShared();
    private final BlockingQueue<PooledReadBuf> free;
    private final int bufferBytes;
    private final int count;
    private boolean closed;

    /**
     * @param bufferBytes size of each buffer, a multiple of {@value #ALIGNMENT}.
     * @param count       how many buffers.
     */
    public ReadBufferPool(final int bufferBytes, final int count)
    {
        if (bufferBytes <= 0 || bufferBytes % ALIGNMENT != 0)
        {
            throw new IllegalArgumentException("bufferBytes must be a positive multiple of " + ALIGNMENT + ": "
                + bufferBytes);
        }
        if (count <= 0)
        {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        this.bufferBytes = bufferBytes;
        this.count = count;
        this.free = new ArrayBlockingQueue<>(count);
        // Not zeroed: every byte sent is first read from the store, and untouched pages stay non-resident.
        final MemorySegment all = AlignedMemory.allocateUninitialized(arena, (long)bufferBytes * count, ALIGNMENT);
        for (int i = 0; i < count; i++)
        {
            free.add(new PooledReadBuf(this, all.asSlice((long)i * bufferBytes, bufferBytes)));
        }
    }

    /**
     * @return a free buffer, waiting for one if needed.
     * @throws InterruptedException  when the waiting thread is interrupted.
     * @throws IllegalStateException when the pool is closed (its memory is gone).
     */
    PooledReadBuf acquire() throws InterruptedException
    {
        return checkOpen(free.take());
    }

    private PooledReadBuf checkOpen(final PooledReadBuf buffer)
    {
        // Holding a buffer keeps tryClose from freeing the memory, so checking after the take is enough.
        synchronized (this)
        {
            if (closed)
            {
                free.add(buffer);
                throw new IllegalStateException("read buffer pool closed");
            }
        }
        return buffer;
    }

    /**
     * For threads that must not block (an event loop).
     *
     * @return a free buffer, or null when none is free right now.
     * @throws IllegalStateException when the pool is closed (its memory is gone).
     */
    PooledReadBuf tryAcquire()
    {
        final PooledReadBuf buffer = free.poll();
        return buffer == null ? null : checkOpen(buffer);
    }

    /**
     * @param buffer a buffer from {@link #acquire()}, no longer used by anyone (its last release, or a
     *               piece that was never handed on).
     */
    void release(final PooledReadBuf buffer)
    {
        if (!free.offer(buffer))
        {
            throw new IllegalStateException("buffer released twice");
        }
    }

    /** @return buffers not handed out. */
    public int freeCount()
    {
        return free.size();
    }

    /** @return buffers in the pool. */
    public int count()
    {
        return count;
    }

    /** @return bytes per buffer. */
    public int bufferBytes()
    {
        return bufferBytes;
    }

    /**
     * Frees the memory when every buffer is back; a buffer still out (a socket write that never
     * completed) would otherwise be freed under the kernel's feet, so then the memory is left to
     * the process.
     *
     * @return whether the memory was freed.
     */
    public synchronized boolean tryClose()
    {
        if (closed)
        {
            return true;
        }
        if (free.size() == count)
        {
            closed = true;
            arena.close();
            return true;
        }
        return false;
    }

    @Override
    public void close()
    {
        tryClose();
    }
}
