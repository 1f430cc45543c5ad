package dev.conduit.scheduler;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for threaded tests: holds every task (successfully, with its full length) until the
 * test opens the gate; after that, completes tasks at the next poll. A fault can be armed so that
 * the next {@code submit}, {@code flush} or {@code poll} throws, as a broken backend would. Backend
 * methods run on the device's thread; {@link #open()}, {@link #failNext} and the counters are safe
 * from any thread.
 */
final class GatedBackend implements Backend
{
    /** Where an armed fault is thrown. */
    enum Stage
    {
        SUBMIT, FLUSH, POLL
    }

    private final int capacity;
    private final ArrayDeque<IoTask> held = new ArrayDeque<>();
    final AtomicInteger submitted = new AtomicInteger();
    /** Tasks submitted before the last flush returned: a test arming a fault waits for this so it cannot hit the flush that ends a dispatch. */
    final AtomicInteger flushed = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger closeCount = new AtomicInteger();
    private volatile boolean open;
    private volatile DeviceWaker waker;
    private volatile Stage faultStage;
    private volatile Throwable fault;
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

    /**
     * Arms a one-shot fault: the next call at {@code stage} throws {@code t} (unchecked or an Error).
     *
     * @param stage where.
     * @param t     what.
     */
    void failNext(final Stage stage, final Throwable t)
    {
        fault = t;
        faultStage = stage;
        final DeviceWaker waker = this.waker;
        if (waker != null)
        {
            waker.wake();
        }
    }

    private void maybeFail(final Stage stage)
    {
        if (faultStage == stage)
        {
            faultStage = null;
            final Throwable t = fault;
            if (t instanceof Error error)
            {
                throw error;
            }
            throw (RuntimeException)t;
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
        maybeFail(Stage.SUBMIT);
        held.addLast(task);
        submitted.incrementAndGet();
    }

    @Override
    public int flush()
    {
        maybeFail(Stage.FLUSH);
        flushed.set(submitted.get());
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        maybeFail(Stage.POLL);
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
        closeCount.incrementAndGet();
        closed = true;
    }
}
