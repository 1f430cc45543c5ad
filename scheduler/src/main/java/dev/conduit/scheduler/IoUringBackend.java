package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.uring.CompletionHandler;
import dev.conduit.nativebindings.uring.IoUring;
import dev.conduit.nativebindings.uring.IoUringSyscall;
import dev.conduit.nativebindings.uring.SqeDescriptor;

/**
 * Runs tasks on an io_uring instance: each task becomes one {@code READV}/{@code WRITEV} SQE over
 * the task's preallocated iovec array (or {@code READ_FIXED}/{@code WRITE_FIXED} when the task is a
 * single piece inside a buffer registered with this backend), every SQE prepared in a duty cycle
 * goes to the kernel in one {@code io_uring_enter} ({@link #flush()}), and completions are reaped
 * without blocking. Attached targets' descriptors are registered with the ring (a registered file
 * saves the kernel's per-I/O file lookup and reference count); the table is extended when a new
 * target appears while nothing is in flight, and until then that target's I/O uses its plain fd.
 * Short transfers are continued (the iovec array is trimmed in place), {@code EINTR}/{@code EAGAIN}
 * results are retried. The steady state allocates nothing.
 *
 * <p>Threading: the device's thread owns the ring. It prepares SQEs, submits them and reaps CQEs
 * (with {@code IoUring}'s single-owner rule). One more thread, {@code <name>-uring-wait}, exists
 * only so that a parked device thread learns about completions: when the device is about to park
 * with I/O in flight ({@link #prepareToPark()}), it arms the waiter, which blocks in
 * {@code io_uring_enter(GETEVENTS, min_complete=1)} on the same ring and then calls the
 * {@link DeviceWaker}. The waiter never reads or writes the rings; it only sleeps in the kernel.
 *
 * <p>Resources: the ring (fd, mappings, registered files and buffers), closed by {@link #close()}
 * after the waiter has been stopped (a NOP wakes it if it is blocked in the kernel).
 */
public final class IoUringBackend implements Backend
{
    private static final long WAKE_USER_DATA = -1L;

    private final String name;
    private final IoUring ring;
    private final int ringFd;
    private final MemorySegment[] registeredBuffers;
    private final long[] registeredBases;
    private final long[] registeredEnds;
    private final IoTask[] tasks;
    private final int[] iovCounts;
    private final int[] retries;
    private int retryCount;
    private boolean useRegisteredFiles;
    private int[] knownFds = new int[0];
    private int registeredFileCount;
    private int unsubmitted;
    private TaskCompletionHandler handler;
    private final Reaper reaper = new Reaper();
    private final Waiter waiter = new Waiter();
    private Thread waiterThread;
    private volatile DeviceWaker waker;

    /**
     * A ring for {@code entries} tasks in flight, with registered files and no registered buffers.
     *
     * @param name    used for the waiter thread's name.
     * @param entries the most tasks in flight (the device's queue depth is capped at it).
     * @throws NativeException when the ring cannot be created (ENOSYS, EPERM, ENOMEM, ...).
     */
    public IoUringBackend(final String name, final int entries)
    {
        this(name, entries, true);
    }

    /**
     * @param name              used for the waiter thread's name.
     * @param entries           the most tasks in flight.
     * @param registerFiles     register attached targets' descriptors with the ring.
     * @param registeredBuffers buffers to register with the ring (pinned once, counted against
     *                          RLIMIT_MEMLOCK); tasks that lie in one of them use the fixed-buffer opcodes.
     * @throws NativeException when the ring cannot be created.
     */
    public IoUringBackend(
        final String name, final int entries, final boolean registerFiles, final MemorySegment... registeredBuffers)
    {
        if (entries < 1)
        {
            throw new IllegalArgumentException("entries must be >= 1: " + entries);
        }
        this.name = name;
        this.ring = IoUring.create(entries);
        this.ringFd = ring.fd();
        this.useRegisteredFiles = registerFiles;
        this.registeredBuffers = registeredBuffers.clone();
        this.registeredBases = new long[registeredBuffers.length];
        this.registeredEnds = new long[registeredBuffers.length];
        for (int i = 0; i < registeredBuffers.length; i++)
        {
            registeredBases[i] = registeredBuffers[i].address();
            registeredEnds[i] = registeredBuffers[i].address() + registeredBuffers[i].byteSize();
        }
        this.tasks = new IoTask[entries];
        this.iovCounts = new int[entries];
        this.retries = new int[entries];
    }

    @Override
    public String name()
    {
        return "io_uring";
    }

    @Override
    public int capacity()
    {
        return tasks.length;
    }

    @Override
    public String unsupportedReason(final DeviceTarget target)
    {
        return target.fd() < 0 ? "it is not fd-backed (use the pread backend)" : null;
    }

    /** @return whether attached targets are currently served through registered files. */
    public boolean usesRegisteredFiles()
    {
        return useRegisteredFiles && registeredFileCount > 0;
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        this.waker = waker;
        if (registeredBuffers.length > 0)
        {
            ring.registerBuffers(registeredBuffers);
        }
        waiterThread = Thread.ofPlatform().daemon(true).name(name + "-uring-wait").unstarted(waiter);
        waiterThread.start();
    }

    @Override
    public void submit(final IoTask task)
    {
        final int index = task.index();
        tasks[index] = task;
        iovCounts[index] = task.iovCount();
        task.backendData(0);
        prepare(task);
    }

    private void prepare(final IoTask task)
    {
        final int index = task.index();
        final DeviceTarget target = task.target();
        final long done = task.backendData();
        final int handleIndex = task.handle().index();
        final boolean fixedFile = useRegisteredFiles && registered(handleIndex, target.fd());
        final int fd = fixedFile ? handleIndex : target.fd();
        final int flags = fixedFile ? SqeDescriptor.IOSQE_FIXED_FILE : IoUring.NO_SQE_FLAGS;
        final long fileOffset = target.fdOffset() + task.offsetBytes() + done;
        final boolean read = task.op() == IoOp.READ;
        final int buffer = iovCounts[index] == 1 ? registeredBufferOf(task) : -1;
        final boolean prepared;
        if (buffer >= 0)
        {
            final MemorySegment slice = registeredBuffers[buffer].asSlice(
                task.iovAddress(0) - registeredBases[buffer], task.iovLength(0));
            prepared = read ? ring.tryPrepReadFixed(fd, slice, fileOffset, buffer, flags, index) :
                ring.tryPrepWriteFixed(fd, slice, fileOffset, buffer, flags, index);
        }
        else
        {
            prepared = read ? ring.tryPrepReadv(fd, task.iov(), iovCounts[index], fileOffset, flags, index) :
                ring.tryPrepWritev(fd, task.iov(), iovCounts[index], fileOffset, flags, index);
        }
        if (!prepared)
        {
            throw new IllegalStateException("io_uring of " + name + " is full: the device exceeded its capacity");
        }
        unsubmitted++;
    }

    private int registeredBufferOf(final IoTask task)
    {
        final long start = task.iovAddress(0);
        final long end = start + task.iovLength(0);
        for (int i = 0; i < registeredBases.length; i++)
        {
            if (start >= registeredBases[i] && end <= registeredEnds[i])
            {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code handleIndex} can be named as a registered file, (re)registering the table if nothing is in flight. */
    private boolean registered(final int handleIndex, final int fd)
    {
        if (handleIndex < registeredFileCount && knownFds[handleIndex] == fd)
        {
            return true;
        }
        if (ring.inFlight() != 0)
        {
            return false;
        }
        final int count = Math.max(handleIndex + 1, registeredFileCount);
        if (knownFds.length < count)
        {
            final int old = knownFds.length;
            knownFds = Arrays.copyOf(knownFds, count);
            Arrays.fill(knownFds, old, count, -1);
        }
        knownFds[handleIndex] = fd;
        try
        {
            if (registeredFileCount > 0)
            {
                ring.unregisterFiles();
                registeredFileCount = 0;
            }
            ring.registerFiles(Arrays.copyOf(knownFds, count));
            registeredFileCount = count;
            return true;
        }
        catch (final NativeException e)
        {
            // Registration is an optimisation: fall back to plain descriptors for good.
            useRegisteredFiles = false;
            return false;
        }
    }

    @Override
    public int flush()
    {
        if (unsubmitted == 0)
        {
            return 0;
        }
        final int submitted = ring.submit();
        unsubmitted -= submitted;
        return submitted;
    }

    @Override
    public int poll(final TaskCompletionHandler handler, final int limit)
    {
        this.handler = handler;
        final int reaped;
        try
        {
            reaped = ring.reap(reaper, limit);
        }
        finally
        {
            this.handler = null;
        }
        if (retryCount > 0)
        {
            for (int i = 0; i < retryCount; i++)
            {
                prepare(tasks[retries[i]]);
            }
            retryCount = 0;
            flush();
        }
        return reaped;
    }

    @Override
    public boolean prepareToPark()
    {
        if (unsubmitted > 0 || ring.readyCompletions() > 0)
        {
            return true;
        }
        if (ring.inFlight() > 0)
        {
            waiter.armed = true;
            LockSupport.unpark(waiterThread);
        }
        return false;
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        try
        {
            stopWaiter();
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
        try
        {
            ring.close();
        }
        catch (final RuntimeException e)
        {
            if (failure == null)
            {
                failure = e;
            }
            else
            {
                failure.addSuppressed(e);
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void stopWaiter()
    {
        final Thread thread = waiterThread;
        if (thread == null)
        {
            return;
        }
        waiter.running = false;
        // The waiter may be blocked in the kernel waiting for a completion: give it one.
        if (ring.tryPrepNop(WAKE_USER_DATA))
        {
            ring.submit();
        }
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(final IoTask task, final long result)
    {
        tasks[task.index()] = null;
        handler.onTaskComplete(task, result);
    }

    /** Turns CQEs into task completions or retries; runs inside {@link IoUring#reap}. */
    private final class Reaper implements CompletionHandler
    {
        @Override
        public void onComplete(final long userData, final int result, final int flags)
        {
            if (userData == WAKE_USER_DATA)
            {
                return;
            }
            final IoTask task = tasks[(int)userData];
            if (result == -Errno.EINTR || result == -Errno.EAGAIN)
            {
                retries[retryCount++] = task.index();
                return;
            }
            if (result < 0)
            {
                complete(task, result);
                return;
            }
            final long done = task.backendData() + result;
            if (result == 0)
            {
                complete(task, task.op() == IoOp.READ ? done : -Errno.ENOSPC);
            }
            else if (done < task.lengthBytes())
            {
                final int index = task.index();
                iovCounts[index] = Iovecs.consume(task.iov(), iovCounts[index], result);
                task.backendData(done);
                retries[retryCount++] = index;
            }
            else
            {
                complete(task, done);
            }
        }
    }

    /** Sleeps in the kernel until a completion is posted, then wakes the device's thread. */
    private final class Waiter implements Runnable
    {
        volatile boolean armed;
        volatile boolean running = true;

        @Override
        public void run()
        {
            while (running)
            {
                if (!armed)
                {
                    LockSupport.park(this);
                    continue;
                }
                armed = false;
                IoUringSyscall.enter(ringFd, 0, 1, IoUringSyscall.IORING_ENTER_GETEVENTS);
                final DeviceWaker waker = IoUringBackend.this.waker;
                waker.wake();
            }
        }
    }
}
