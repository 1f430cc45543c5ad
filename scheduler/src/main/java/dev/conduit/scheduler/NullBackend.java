package dev.conduit.scheduler;

import dev.conduit.core.memory.MemoryKind;

/**
 * Completes every task instantly with its full length, without touching memory or storage: for
 * measuring the scheduler itself. Submitted tasks wait in a preallocated array until the next
 * {@link #poll}, so a duty cycle submits a batch and reaps it on its next pass, as with a real
 * device that is infinitely fast.
 *
 * <p>Threading: used only by the device's thread; has no threads of its own.
 */
public final class NullBackend implements Backend
{
    /** Default {@link #capacity()}. */
    public static final int CAPACITY_DEFAULT = 1024;

    private final IoTask[] done;
    private int head;
    private int count;

    /** A null backend with {@link #CAPACITY_DEFAULT} slots. */
    public NullBackend()
    {
        this(CAPACITY_DEFAULT);
    }

    /**
     * @param capacity most tasks outstanding at once.
     */
    public NullBackend(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.done = new IoTask[capacity];
    }

    @Override
    public String name()
    {
        return "null";
    }

    @Override
    public int capacity()
    {
        return done.length;
    }

    /** @return every kind: the null backend never touches memory, so even device pointers are safe. */
    @Override
    public int acceptedMemoryKinds()
    {
        return MemoryKind.maskOf(MemoryKind.values());
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        // Completions are produced on the device's own thread; nobody needs waking.
    }

    @Override
    public void submit(final IoTask task)
    {
        final IoTask[] done = this.done;
        int tail = head + count;
        if (tail >= done.length)
        {
            tail -= done.length;
        }
        done[tail] = task;
        count++;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        final IoTask[] done = this.done;
        final int n = Math.min(count, limit);
        for (int i = 0; i < n; i++)
        {
            final IoTask task = done[head];
            done[head] = null;
            head = head + 1 == done.length ? 0 : head + 1;
            count--;
            handler.onTaskComplete(task, task.lengthBytes());
        }
        return n;
    }

    @Override
    public boolean prepareToPark()
    {
        return count > 0;
    }

    @Override
    public void close()
    {
        // Nothing to release.
    }
}
