package dev.conduit.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double: holds every submitted task until the test completes it, and records a snapshot of
 * each submission (tasks themselves are reused, so the snapshots are what tests inspect). Used
 * only from the test thread in INVOKER mode.
 */
final class ManualBackend implements Backend
{
    record Submission(IoTask task, IoOp op, String target, Priority priority, long offsetBytes, long lengthBytes,
        long[] iovAddresses, long[] iovLengths)
    {
    }

    private final int capacity;
    private final ArrayDeque<IoTask> inFlight = new ArrayDeque<>();
    private final ArrayDeque<IoTask> done = new ArrayDeque<>();
    private final ArrayDeque<Long> doneResults = new ArrayDeque<>();
    final List<Submission> submissions = new ArrayList<>();
    final List<IoTask> cancelAttempts = new ArrayList<>();
    boolean started;
    boolean closed;
    /** When set, every poll first completes all in-flight tasks with their full length. */
    boolean completeOnPoll;

    ManualBackend(final int capacity)
    {
        this.capacity = capacity;
    }

    @Override
    public String name()
    {
        return "manual";
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        started = true;
    }

    @Override
    public void submit(final IoTask task)
    {
        final long[] addresses = new long[task.iovCount()];
        final long[] lengths = new long[task.iovCount()];
        for (int i = 0; i < task.iovCount(); i++)
        {
            addresses[i] = task.iovAddress(i);
            lengths[i] = task.iovLength(i);
        }
        submissions.add(new Submission(task, task.op(), task.target().name(), task.priority(), task.offsetBytes(),
            task.lengthBytes(), addresses, lengths));
        inFlight.addLast(task);
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        if (completeOnPoll)
        {
            completeAll();
        }
        int n = 0;
        while (n < limit && !done.isEmpty())
        {
            handler.onTaskComplete(done.pollFirst(), doneResults.pollFirst());
            n++;
        }
        return n;
    }

    @Override
    public boolean prepareToPark()
    {
        return !done.isEmpty();
    }

    @Override
    public boolean cancel(final IoTask task)
    {
        cancelAttempts.add(task);
        return true;
    }

    @Override
    public void close()
    {
        closed = true;
    }

    int inFlightCount()
    {
        return inFlight.size();
    }

    IoTask oldestInFlight()
    {
        return inFlight.peekFirst();
    }

    /** Completes the oldest in-flight task with its full length. */
    void completeOldest()
    {
        final IoTask task = inFlight.peekFirst();
        complete(task, task.lengthBytes());
    }

    /** Completes every in-flight task with its full length. */
    void completeAll()
    {
        while (!inFlight.isEmpty())
        {
            completeOldest();
        }
    }

    /** Reports {@code task} (which must be in flight) done with {@code result} at the next poll. */
    void complete(final IoTask task, final long result)
    {
        if (!inFlight.remove(task))
        {
            throw new IllegalStateException("not in flight: " + task);
        }
        done.addLast(task);
        doneResults.addLast(result);
    }
}
