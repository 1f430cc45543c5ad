package dev.conduit.scheduler;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for threaded tests: holds every task (successfully, with its full length) until the
 * test opens the gate; after that, completes tasks at the next poll. Backend methods run on the
 * device's thread; {@link #open()} and the counters are safe from any thread.
 */
final class GatedBackend implements Backend
{
    private final int capacity;
    private final ArrayDeque<IoTask> held = new ArrayDeque<>();
    final AtomicInteger submitted = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    private volatile boolean open;
    private volatile DeviceWaker waker;
    volatile boolean closed;

    GatedBackend(final int capacity)
    {
        this.capacity = capacity;
    }

    void open()
    {
        open = true;
        final DeviceWaker waker = this.waker;
        if (waker != null)
        {
            waker.wake();
        }
    }

    @Override
    public String name()
    {
        return "gated";
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        this.waker = waker;
    }

    @Override
    public void submit(final IoTask task)
    {
        held.addLast(task);
        submitted.incrementAndGet();
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        int n = 0;
        while (open && n < limit && !held.isEmpty())
        {
            final IoTask task = held.pollFirst();
            completed.incrementAndGet();
            handler.onTaskComplete(task, task.lengthBytes());
            n++;
        }
        return n;
    }

    @Override
    public boolean prepareToPark()
    {
        return open && !held.isEmpty();
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
