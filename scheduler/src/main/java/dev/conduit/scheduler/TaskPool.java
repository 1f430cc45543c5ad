package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The device's {@link IoTask}s, one per queue-depth slot, each with its slice of one native iovec
 * array ({@code maxIovPerTask} entries), and a stack of the free ones.
 *
 * <p>Threading: owned by the device's thread; the iovec memory is in a shared arena because
 * backend workers pass it to the kernel from their own threads. {@link #close()} frees it, once no
 * task is in flight.
 */
final class TaskPool
{
    private static final long IOVEC_BYTES = 16;

    private final Arena arena;
    private final IoTask[] tasks;
    private final int[] free;
    private int freeCount;

    /**
     * @param queueDepth how many tasks (at most that many are in flight).
     * @param maxIov     iovec entries per task.
     */
    TaskPool(final int queueDepth, final int maxIov)
    {
        this.arena = Arena.ofShared();
        final MemorySegment iovs = arena.allocate(queueDepth * maxIov * IOVEC_BYTES, 64);
        this.tasks = new IoTask[queueDepth];
        this.free = new int[queueDepth];
        for (int i = 0; i < queueDepth; i++)
        {
            tasks[i] = new IoTask(i, iovs.asSlice(i * maxIov * IOVEC_BYTES, maxIov * IOVEC_BYTES), maxIov);
            free[i] = queueDepth - 1 - i;
        }
        this.freeCount = queueDepth;
    }

    /** @return a free task; the caller keeps fewer than queue depth in flight. */
    IoTask acquire()
    {
        return tasks[free[--freeCount]];
    }

    /** @param task a task back from the backend: cleared and made free. */
    void release(final IoTask task)
    {
        task.clear();
        free[freeCount++] = task.index();
    }

    /** @return every task, free or not; not to be modified. */
    IoTask[] all()
    {
        return tasks;
    }

    /** Frees the iovec memory; no task may be used after. */
    void close()
    {
        arena.close();
    }
}
