package dev.conduit.objecttier.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
    // A stack, not a queue: the buffer released last is handed out next, so a connection's GETs keep
    // reusing one buffer whose lines are still in the CPU's caches and whose buffer view the
    // scheduler's read plan still holds (a queue rotated every read through all the buffers).
    private final PooledReadBuf[] free;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private int freeCount;
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
        this.free = new PooledReadBuf[count];
        // Not zeroed: every byte sent is first read from the store, and untouched pages stay non-resident.
        final MemorySegment all = AlignedMemory.allocateUninitialized(arena, (long)bufferBytes * count, ALIGNMENT);
        for (int i = 0; i < count; i++)
        {
            free[freeCount++] = new PooledReadBuf(this, all.asSlice((long)i * bufferBytes, bufferBytes));
        }
    }

    /**
     * @return a free buffer, waiting for one if needed.
     * @throws InterruptedException  when the waiting thread is interrupted.
     * @throws IllegalStateException when the pool is closed (its memory is gone).
     */
    PooledReadBuf acquire() throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            while (freeCount == 0)
            {
                returned.await();
            }
            return checkOpen(pop());
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Called with the lock held: a buffer taken from a closed pool goes back, and the caller is told. */
    private PooledReadBuf checkOpen(final PooledReadBuf buffer)
    {
        if (closed)
        {
            push(buffer);
            throw new IllegalStateException("read buffer pool closed");
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
        lock.lock();
        try
        {
            return freeCount == 0 ? null : checkOpen(pop());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param buffer a buffer from {@link #acquire()}, no longer used by anyone (its last release, or a
     *               piece that was never handed on).
     */
    void release(final PooledReadBuf buffer)
    {
        lock.lock();
        try
        {
            if (freeCount == free.length)
            {
                throw new IllegalStateException("buffer released twice");
            }
            push(buffer);
            returned.signal();
        }
        finally
        {
            lock.unlock();
        }
    }

    private PooledReadBuf pop()
    {
        final PooledReadBuf buffer = free[--freeCount];
        free[freeCount] = null;
        return buffer;
    }

    private void push(final PooledReadBuf buffer)
    {
        free[freeCount++] = buffer;
    }

    /** @return buffers not handed out. */
    public int freeCount()
    {
        lock.lock();
        try
        {
            return freeCount;
        }
        finally
        {
            lock.unlock();
        }
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
    public boolean tryClose()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return true;
            }
            if (freeCount == count)
            {
                closed = true;
                arena.close();
                return true;
            }
            return false;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void close()
    {
        tryClose();
    }
}
