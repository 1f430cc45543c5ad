package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.nativebindings.Errno;


/**
 * Runs each task as blocking {@code preadv}/{@code pwritev} calls on a fixed pool of worker
 * threads, for hosts without io_uring and for targets that are not fd-backed (the task goes through
 * {@link DeviceTarget#readv}/{@link DeviceTarget#writev}). Short transfers are continued until the
 * task is complete, end of file is reached or an error occurs; {@code EINTR} and {@code EAGAIN} are
 * retried.
 *
 * <p>Threading: one worker per queue-depth slot, so every submitted task starts at once. The device's
 * thread hands a task to an idle worker (a volatile write and an unpark, no queue); the worker
 * performs the I/O, posts its index on a bounded many-to-one queue (it can never be full: one entry
 * per worker at most) and wakes the device, whose {@link #poll} hands completions over and marks
 * workers idle again. Nothing is allocated per task.
 */
public final class PreadBackend implements Backend
{
    /** Default number of worker threads (and so the most tasks in flight). */
    public static final int WORKERS_DEFAULT = 32;

    private final String threadNamePrefix;
    private final Worker[] workers;
    private final IoTask[] assigned;
    private final int[] idle;
    private int idleCount;
    private final MpscIntQueue completions;
    private final AtomicLong unexpectedErrors = new AtomicLong();
    private volatile DeviceWaker waker;
    private volatile boolean running;

    /**
     * @param threadNamePrefix worker threads are named {@code prefix-<i>}.
     * @param workerCount      worker threads, i.e. the queue depth this backend can serve.
     */
    public PreadBackend(final String threadNamePrefix, final int workerCount)
    {
        if (workerCount < 1)
        {
            throw new IllegalArgumentException("workerCount must be >= 1: " + workerCount);
        }
        this.threadNamePrefix = threadNamePrefix;
        this.workers = new Worker[workerCount];
        this.assigned = new IoTask[workerCount];
        this.idle = new int[workerCount];
        this.completions = new MpscIntQueue(workerCount);
    }

    /** A pool of {@link #WORKERS_DEFAULT} workers named {@code conduit-pread-<i>}. */
    public PreadBackend()
    {
        this("conduit-pread", WORKERS_DEFAULT);
    }

    @Override
    public String name()
    {
        return "pread";
    }

    @Override
    public int capacity()
    {
        return workers.length;
    }

    /** @return worker failures other than I/O errors (exceptions thrown by a target), reported with their own code ({@link IoStatus#of(Throwable)}). */
    public long unexpectedErrors()
    {
        return unexpectedErrors.get();
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        this.waker = waker;
        this.running = true;
        for (int i = 0; i < workers.length; i++)
        {
            final Worker worker = new Worker(i);
            final Thread thread = Thread.ofPlatform().daemon(true).name(threadNamePrefix + "-" + i).unstarted(worker);
            worker.thread = thread;
            workers[i] = worker;
            idle[idleCount++] = i;
            thread.start();
        }
    }

    @Override
    public void submit(final IoTask task)
    {
        final int index = idle[--idleCount];
        assigned[index] = task;
        final Worker worker = workers[index];
        worker.task = task;
        LockSupport.unpark(worker.thread);
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            final int index = completions.poll();
            if (index < 0)
            {
                break;
            }
            final IoTask task = assigned[index];
            final long result = workers[index].result;
            assigned[index] = null;
            idle[idleCount++] = index;
            count++;
            handler.onTaskComplete(task, result);
        }
        return count;
    }

    @Override
    public boolean prepareToPark()
    {
        return !completions.isEmpty();
    }

    @Override
    public void close()
    {
        running = false;
        for (final Worker worker : workers)
        {
            if (worker != null)
            {
                LockSupport.unpark(worker.thread);
            }
        }
        boolean interrupted = false;
        for (final Worker worker : workers)
        {
            while (worker != null && worker.thread.isAlive())
            {
                try
                {
                    worker.thread.join();
                }
                catch (final InterruptedException e)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Performs a task synchronously, continuing short transfers.
     *
     * @param task the task (its iovec array is consumed: entries are shifted and trimmed in place).
     * @return bytes transferred, or {@code -errno}.
     */
    static long perform(final IoTask task)
    {
        final DeviceTarget target = task.target();
        final boolean read = task.op() == IoOp.READ;
        final MemorySegment iov = task.iov();
        int count = task.iovCount();
        long remaining = task.lengthBytes();
        long done = 0;
        while (remaining > 0)
        {
            final long offset = task.offsetBytes() + done;
            final long n = read ? target.readv(iov, count, offset) : target.writev(iov, count, offset);
            if (n == -Errno.EINTR || n == -Errno.EAGAIN)
            {
                continue;
            }
            if (n < 0)
            {
                return n;
            }
            if (n == 0)
            {
                return read ? done : -Errno.ENOSPC;
            }
            done += n;
            remaining -= n;
            if (remaining > 0)
            {
                count = Iovecs.consume(iov, count, n);
            }
        }
        return done;
    }

    private final class Worker implements Runnable
    {
        private final int index;
        Thread thread;
        volatile IoTask task;
        volatile long result;

        Worker(final int index)
        {
            this.index = index;
        }

        @Override
        public void run()
        {
            while (true)
            {
                final IoTask task = this.task;
                if (task == null)
                {
                    if (!running)
                    {
                        return;
                    }
                    LockSupport.park(this);
                    continue;
                }
                long outcome;
                try
                {
                    outcome = perform(task);
                }
                catch (final Throwable t)
                {
                    unexpectedErrors.incrementAndGet();
                    outcome = IoStatus.of(t);
                }
                result = outcome;
                this.task = null;
                completions.offer(index);
                waker.wake();
            }
        }
    }
}
