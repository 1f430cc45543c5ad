package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.nativebindings.AlignedMemory;

/**
 * The store's reusable put staging buffers ({@link ObjectWriter#STAGING_BYTES} each, block-aligned),
 * carved once from the store's arena. A put used to take its buffers from an arena of its own and
 * close it at commit; closing a shared arena is a handshake with every Java thread (the JVM stops
 * each one to make sure none is inside the memory), which at thousands of small puts a second cost
 * more CPU than the put itself. A put now borrows its buffers here and gives them back at the same
 * points; a put that finds the pool spent (more puts at once than {@code capacity}) falls back to an
 * arena of its own, so the pool bounds the memory kept, not the puts. Buffers are not zeroed (a put
 * overwrites every byte it writes, and zeroes the padding of its last block itself): zeroing a
 * fresh 1 MiB buffer showed as about 6 % of a 1 GiB tier prefetch's samples.
 *
 * <p>Threading: any thread; a buffer is owned by the one put that took it until it is given back.
 */
final class StagingPool
{
    private final Arena arena;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private int carved;

    /**
     * @param arena    where buffers are carved (the store's, closed with the store).
     * @param capacity most buffers ever carved (and so kept).
     */
    StagingPool(final Arena arena, final int capacity)
    {
        this.arena = arena;
        this.capacity = capacity;
    }

    /** @return a whole staging buffer (contents undefined), or null when the pool is spent. */
    MemorySegment take()
    {
        lock.lock();
        try
        {
            final MemorySegment buffer = free.pollFirst();
            if (buffer != null || carved == capacity)
            {
                return buffer;
            }
            carved++;
        }
        finally
        {
            lock.unlock();
        }
        try
        {
            return AlignedMemory.allocateUninitialized(arena, ObjectWriter.STAGING_BYTES, Bytes.BLOCK);
        }
        catch (final RuntimeException e)
        {
            uncarve();
            throw e;
        }
    }

    /**
     * @param buffer a buffer from {@link #take()}, no longer read or written by anyone (its I/O done).
     */
    void give(final MemorySegment buffer)
    {
        lock.lock();
        try
        {
            free.addFirst(buffer);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return buffers carved so far (for tests). */
    int carved()
    {
        lock.lock();
        try
        {
            return carved;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void uncarve()
    {
        lock.lock();
        try
        {
            carved--;
        }
        finally
        {
            lock.unlock();
        }
    }
}
