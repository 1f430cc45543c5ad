package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import dev.conduit.core.memory.BufferRegistrar;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoMemory;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.core.memory.RegisteredMemory;
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
 * without blocking. Short transfers are continued (the iovec array is trimmed in place), {@code EINTR}/{@code EAGAIN}
 * results are retried. The steady state allocates nothing.
 *
 * <p>Registered files and buffers live in sparse tables registered at {@link #start} and updated
 * slot by slot while I/O is in flight ({@code IORING_REGISTER_FILES_UPDATE2},
 * {@code IORING_REGISTER_BUFFERS_UPDATE}; the kernel keeps an old entry alive for the I/O still using
 * it). A target's descriptor goes into the file slot with its handle's index on its first I/O (a
 * registered file saves the kernel's per-I/O file lookup and reference count) and is taken out when
 * the target is detached, so slots are recycled with handle indices; a target whose index is beyond
 * the table uses its plain fd. Buffers given at construction take buffer slots 0..n-1; others are
 * registered while the device runs through {@link BufferRegistrar} ({@code IoDevice.registerBuffer}),
 * and a single-piece task on a registration of this backend uses {@code READ_FIXED}/{@code WRITE_FIXED}
 * with its index. Host memory only: device memory is refused at submission by the device.
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
 *
 * <p>Why it is long (~500 lines): the ring itself ({@link IoUring}), the eventfd ({@code EventFd}),
 * the registered-buffer table ({@code UringBufferTable}) and the iovec arrays ({@link IoTask}) are
 * their own classes; what is left is task preparation, resubmission of short and interrupted
 * transfers, the registered-file table that preparation consults on every SQE, and the wake-up
 * read, all on the ring's one owner thread and sharing its per-task state.
 */
public final class IoUringBackend implements Backend, BufferRegistrar
{
    /** Default registered-file slots (targets with a higher handle index use their plain fd). */
    public static final int FILE_SLOTS_DEFAULT = 256;
    /** Default registered-buffer slots (at least as many as buffers given at construction). */
    public static final int BUFFER_SLOTS_DEFAULT = 64;

    private static final long WAKE_USER_DATA = -1L;

    private final String name;
    private final IoUring ring;
    private final IoTask[] tasks;
    private final int[] iovCounts;
    private final int[] retries;
    private int retryCount;
    /** Written only by the device's thread; volatile so that tests and metrics may read it. */
    private volatile long resubmissions;
    private boolean useRegisteredFiles;
    private final int[] fileSlots;
    private final UringBufferTable buffers;
    private long fixedBufferIos;
    private long fixedFileIos;
    private int unsubmitted;
    private TaskCompletionHandler handler;
    private final Reaper reaper = new Reaper();
    private final EventFd wakeFd;
    private final Arena wakeArena = Arena.ofShared();
    private final MemorySegment wakeBuffer = wakeArena.allocate(8, 8);
    private boolean wakeArmed;

    /**
     * A ring for {@code entries} tasks in flight, with {@link #FILE_SLOTS_DEFAULT} registered-file
     * slots and {@link #BUFFER_SLOTS_DEFAULT} empty registered-buffer slots.
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
        this(name, entries, registerFiles ? FILE_SLOTS_DEFAULT : 0,
            Math.max(BUFFER_SLOTS_DEFAULT, registeredBuffers.length), registeredBuffers);
    }

    /**
     * @param name              used in messages.
     * @param entries           the most tasks in flight.
     * @param fileSlots         registered-file table size (0: plain descriptors only).
     * @param bufferSlots       registered-buffer table size, {@code >= registeredBuffers.length} (0: none).
     * @param registeredBuffers buffers to register at start in slots 0..n-1.
     * @throws NativeException when the ring cannot be created.
     */
    public IoUringBackend(
        final String name, final int entries, final int fileSlots, final int bufferSlots,
        final MemorySegment... registeredBuffers)
    {
        if (entries < 1 || fileSlots < 0 || bufferSlots < registeredBuffers.length)
        {
            throw new IllegalArgumentException("bad io_uring backend: entries=" + entries + ", fileSlots=" + fileSlots +
                ", bufferSlots=" + bufferSlots + " for " + registeredBuffers.length + " buffers");
        }
        this.name = name;
        // One slot more than the device may use: the armed wake-up read.
        // Cooperative task running: completions wait for the device thread's next io_uring_enter
        // instead of interrupting it, which it makes every duty cycle that has I/O in flight anyway.
        this.ring = IoUring.createCooperative(entries + 1);
        this.wakeFd = createEventFd(ring);
        this.useRegisteredFiles = fileSlots > 0;
        this.fileSlots = new int[fileSlots];
        Arrays.fill(this.fileSlots, -1);
        this.buffers = new UringBufferTable(name, ring, this, bufferSlots, registeredBuffers);
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

    @Override
    public BufferRegistrar registrar()
    {
        return this;
    }

    /** @return whether attached targets are currently served through registered files. */
    public boolean usesRegisteredFiles()
    {
        return useRegisteredFiles;
    }

    /** @return the ring's {@code IORING_SETUP_*} flags ({@link IoUring#COOPERATIVE_FLAGS} where the kernel has them). */
    public int setupFlags()
    {
        return ring.setupFlags();
    }

    /** @return the registered-file table size. */
    public int fileSlots()
    {
        return fileSlots.length;
    }

    /** @return I/Os issued with {@code READ_FIXED}/{@code WRITE_FIXED} (read after the device has completed them). */
    public long fixedBufferIos()
    {
        return fixedBufferIos;
    }

    /** @return I/Os issued on a registered file (read after the device has completed them). */
    public long fixedFileIos()
    {
        return fixedFileIos;
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
        return buffers.problem();
    }

    @Override
    public void start(final DeviceWaker waker)
    {
        if (fileSlots.length > 0)
        {
            try
            {
                ring.registerSparseFiles(fileSlots.length);
            }
            catch (final NativeException e)
            {
                // An optimisation only (e.g. a kernel before 5.19): plain descriptors reach the same files.
                useRegisteredFiles = false;
            }
        }
        buffers.start();
    }

    @Override
    public int registrableMemoryKinds()
    {
        return MemoryKind.HOST.bit();
    }

    /**
     * Registers host memory in a free buffer slot; on the device's thread ({@code IoDevice.registerBuffer}).
     *
     * @param memory {@link HostMemory}, at most 1 GiB.
     * @return the registration, whose index is the slot.
     */
    @Override
    public RegisteredMemory register(final IoMemory memory)
    {
        return buffers.register(memory);
    }

    @Override
    public void unregister(final RegisteredMemory registration)
    {
        buffers.unregister(registration);
    }

    @Override
    public void detach(final TargetHandle handle)
    {
        final int slot = handle.index();
        if (slot < fileSlots.length && fileSlots[slot] != -1)
        {
            // Drops the ring's reference to the file, so closing the target really closes it.
            fileSlots[slot] = -1;
            ring.updateFile(slot, -1);
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
        final boolean fixedFile = useRegisteredFiles && fileSlot(handleIndex, target.fd());
        final int fd = fixedFile ? handleIndex : target.fd();
        final int flags = fixedFile ? SqeDescriptor.IOSQE_FIXED_FILE : IoUring.NO_SQE_FLAGS;
        final long fileOffset = target.fdOffset() + task.offsetBytes() + done;
        final boolean read = task.op() == IoOp.READ;
        final int buffer = iovCounts[index] == 1 ? buffers.slotOf(task) : -1;
        final boolean prepared;
        if (buffer >= 0)
        {
            final MemorySegment registered = buffers.segment(buffer);
            final MemorySegment slice =
                registered.asSlice(task.iovAddress(0) - registered.address(), task.iovLength(0));
            prepared = read ? ring.tryPrepReadFixed(fd, slice, fileOffset, buffer, flags, index) :
                ring.tryPrepWriteFixed(fd, slice, fileOffset, buffer, flags, index);
            fixedBufferIos++;
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
        if (fixedFile)
        {
            fixedFileIos++;
        }
        unsubmitted++;
    }

    /** Whether {@code slot} holds {@code fd} as a registered file, putting it there if the slot exists. */
    private boolean fileSlot(final int slot, final int fd)
    {
        if (slot >= fileSlots.length)
        {
            return false;
        }
        if (fileSlots[slot] == fd)
        {
            return true;
        }
        try
        {
            ring.updateFile(slot, fd);
            fileSlots[slot] = fd;
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
