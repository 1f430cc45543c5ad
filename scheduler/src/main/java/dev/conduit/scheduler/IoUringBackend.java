package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.uring.CompletionHandler;
import dev.conduit.nativebindings.uring.IoUring;
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
 * <p>Threading: the device's thread owns the ring and is the only thread that touches it: it
 * prepares SQEs, submits them and reaps CQEs (a single agent thread that submits and reaps; no
 * reaper thread). When the device has nothing to do it waits in the kernel,
 * {@code io_uring_enter(GETEVENTS, min_complete=1)} ({@link #awaitWork()}), with a READ of an
 * eventfd armed in the ring; a completion wakes it, and so does any other thread through
 * {@link #wakeUp()}, which writes the eventfd (producers do that only when the device is parked).
 * A request whose deadline passes while the device waits is noticed at the next completion, which
 * is at most one I/O away: a queued request means the queue depth is full.
 *
 * <p>Resources: the ring (fd, mappings, registered files and buffers) and the eventfd, closed by
 * {@link #close()}; the armed eventfd READ is completed first so the ring drains.
 */
public final class IoUringBackend implements Backend
{
    private static final long WAKE_USER_DATA = -1L;

    private final String name;
    private final IoUring ring;
    private final MemorySegment[] registeredBuffers;
    private final long[] registeredBases;
    private final long[] registeredEnds;
    private final IoTask[] tasks;
    private final int[] iovCounts;
    private final int[] retries;
    private int retryCount;
    /** Written only by the device's thread; volatile so that tests and metrics may read it. */
    private volatile long resubmissions;
    private boolean useRegisteredFiles;
    private boolean buffersRegistered;
    private volatile String registeredBuffersProblem = "";
    private int[] knownFds = new int[0];
    private int registeredFileCount;
    private int unsubmitted;
    private TaskCompletionHandler handler;
    private final Reaper reaper = new Reaper();
    private final EventFd wakeFd;
    private final Arena wakeArena = Arena.ofShared();
    private final MemorySegment wakeBuffer = wakeArena.allocate(8, 8);
    private boolean wakeArmed;

    /**
     * A ring for {@code entries} tasks in flight, with registered files and no registered buffers.
     *
     * @param name    used in messages.
     * @param entries the most tasks in flight (the device's queue depth is capped at it).
     * @throws NativeException when the ring cannot be created (ENOSYS, EPERM, ENOMEM, ...).
     */
    public IoUringBackend(final String name, final int entries)
    {
        this(name, entries, true);
    }

    /**
     * @param name              used in messages.
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
        // One slot more than the device may use: the armed wake-up read.
        this.ring = IoUring.create(entries + 1);
        this.wakeFd = createEventFd(ring);
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

    private static EventFd createEventFd(final IoUring ring)
    {
        try
        {
            return EventFd.create();
        }
        catch (final RuntimeException e)
        {
            ring.close();
            throw e;
        }
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

    /**
     * @return tasks sent to the kernel again so far: after {@code EINTR} or {@code EAGAIN}, or to
     *         continue a short transfer (any thread).
     */
    public long resubmissions()
    {
        return resubmissions;
    }

    /** @return why the buffers given at construction could not be registered, or empty when they were (or none were given). */
    public String registeredBuffersProblem()
    {
        return registeredBuffersProblem;
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        if (registeredBuffers.length > 0)
        {
            try
            {
                ring.registerBuffers(registeredBuffers);
                buffersRegistered = true;
            }
            catch (final NativeException e)
            {
                // An optimisation only (e.g. RLIMIT_MEMLOCK too small): the plain opcodes work on the same memory.
                registeredBuffersProblem = e.getMessage();
            }
        }
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
        final int buffer = buffersRegistered && iovCounts[index] == 1 ? registeredBufferOf(task) : -1;
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
            resubmissions += retryCount;
            retryCount = 0;
            flush();
        }
        return reaped;
    }

    @Override
    public boolean prepareToPark()
    {
        return unsubmitted > 0 || ring.readyCompletions() > 0;
    }

    @Override
    public boolean awaitWork()
    {
        if (!wakeArmed)
        {
            if (!ring.tryPrepRead(wakeFd.fd(), wakeBuffer, 0, IoUring.NO_SQE_FLAGS, WAKE_USER_DATA))
            {
                throw new IllegalStateException("io_uring of " + name + " has no slot for its wake-up read");
            }
            wakeArmed = true;
            unsubmitted++;
        }
        unsubmitted -= ring.submitAndWait(1);
        return true;
    }

    @Override
    public void wakeUp()
    {
        wakeFd.signal();
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        try
        {
            if (wakeArmed)
            {
                // Complete the armed read, or the ring's close would wait for it forever.
                wakeFd.signal();
            }
            ring.close();
        }
        catch (final RuntimeException e)
        {
            failure = e;
        }
        try
        {
            wakeFd.close();
        }
        catch (final RuntimeException e)
        {
            failure = chain(failure, e);
        }
        wakeArena.close();
        if (failure != null)
        {
            throw failure;
        }
    }

    private static RuntimeException chain(final RuntimeException first, final RuntimeException next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
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
                wakeArmed = false;
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

}
