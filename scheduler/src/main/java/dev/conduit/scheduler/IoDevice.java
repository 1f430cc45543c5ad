package dev.conduit.scheduler;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.BufferRegistrar;
import dev.conduit.core.memory.IoMemory;
import dev.conduit.core.memory.MemoryGuard;
import dev.conduit.core.memory.RegisteredMemory;

/**
 * One device queue: a multi-producer Disruptor ring of preallocated {@link IoEvent}s, the
 * {@link DeviceAgent} that drains it, one {@link Backend}, and {@link DeviceMetrics}. Made by
 * {@link IoScheduler#addDevice}; requests reach it through the {@link TargetHandle}s it attaches.
 *
 * <p>Submission claims a ring slot, copies the {@link IoRequest} into it and publishes it: no
 * allocation, no lock. When the ring is full, {@link #submit(IoRequest, IoCallback, long)} waits for
 * a free slot (backpressure) and {@link #trySubmit} returns {@link IoStatus#REJECTED}. The ring,
 * the request pool and the queue depth are all bounded, so a flood of producers cannot grow memory.
 *
 * <p>Memory: a request's memory must be of a kind the backend accepts
 * ({@link Backend#acceptedMemoryKinds()}), its scope must be alive, and guarded memory (from an
 * {@code IoArena}) is held from submission to completion; all three are checked before the request
 * takes a ring slot, so refused memory never reaches the backend or the kernel.
 *
 * <p>Threading: {@code submit}, {@code trySubmit}, {@code cancel}, {@code attach}, {@code detach},
 * {@code registerBuffer} and {@code unregisterBuffer} are safe from any thread; the last three reach
 * the device's thread as commands through the ring. The device's own thread (DEDICATED mode) runs
 * the duty cycle and every completion callback; between bursts it spins briefly, yields (only while
 * no task is in flight), then parks until a producer or the backend wakes it.
 *
 * <p>Why it is long (~700 lines): the device's thread ({@code DeviceRunner}, {@code DeviceIdleStrategy})
 * and the duty cycle ({@code DeviceAgent}) are their own classes; what is left is the public,
 * documented face of one device (submit, trySubmit, cancel, attach, detach, buffer registration)
 * and the ring protocol they share with close and failure: claim, fill, publish, then wake or
 * drain, ordered against the {@code closing}/{@code terminated} flags. Split, that ordering would
 * be spread over several classes.
 */
public final class IoDevice
{
    static final int ID_SEQUENCE_BITS = 48;
    static final long ID_SEQUENCE_MASK = (1L << ID_SEQUENCE_BITS) - 1;
    private static final int MAX_TARGETS = 1 << 16;

    private final IoScheduler scheduler;
    private final int index;
    private final String name;
    private final String identity;
    private final Backend backend;
    private final int acceptedMemoryKinds;
    private final DeviceContext context;
    private final NanoClock clock;
    private final boolean invoker;
    private final RingBuffer<IoEvent> ring;
    private final DeviceMetrics metrics;
    private final DeviceAgent agent;
    private final CachedClock cachedClock;
    private final DeviceRunner runner;
    private final Consumer<Throwable> errorHandler;
    private int nextTargetIndex;
    private int[] freeTargetIndices = new int[8];
    private int freeTargetCount;
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile Throwable failure;
    private boolean closed;

    IoDevice(
        final IoScheduler scheduler, final int index, final String name, final String identity, final Backend backend,
        final DeviceContext context, final SchedulerContext schedulerContext)
    {
        this.scheduler = scheduler;
        this.index = index;
        this.name = name;
        this.identity = identity;
        this.backend = backend;
        this.acceptedMemoryKinds = backend.acceptedMemoryKinds();
        this.context = context.conclude(backend.capacity());
        this.clock = schedulerContext.clock();
        this.invoker = schedulerContext.threadingMode() == ThreadingMode.INVOKER;
        this.errorHandler = schedulerContext.errorHandler();
        this.ring = RingBuffer.createMultiProducer(IoEvent::new, this.context.ringSize(), new BusySpinWaitStrategy());
        this.metrics = new DeviceMetrics(name, this.context.queueDepth());
        this.agent = new DeviceAgent(index, ring, backend, this.context, clock, metrics, errorHandler);
        this.cachedClock = agent.cachedClock();
        this.runner = new DeviceRunner(this, agent, backend, schedulerContext, invoker);
    }

    void start()
    {
        if (invoker)
        {
            agent.onStart(runner);
        }
        else
        {
            runner.start();
        }
    }

    /** @return the device's name. */
    public String name()
    {
        return name;
    }

    /**
     * @return the physical device this queue stands for ({@link DeviceIdentity}), or null for a
     *         device added by name with {@link IoScheduler#addDevice}.
     */
    public String identity()
    {
        return identity;
    }

    /** @return the device's index in its scheduler (the top bits of its request ids). */
    public int index()
    {
        return index;
    }

    /** @return the backend serving this device. */
    public Backend backend()
    {
        return backend;
    }

    /** @return the concluded settings. */
    public DeviceContext context()
    {
        return context;
    }

    /** @return the device's metrics. */
    public DeviceMetrics metrics()
    {
        return metrics;
    }

    /** @return the scheduler this device belongs to. */
    public IoScheduler scheduler()
    {
        return scheduler;
    }

    /**
     * Attaches a target so requests can name it.
     *
     * @param target the target.
     * @return its handle.
     * @throws IllegalArgumentException when the backend cannot serve it (e.g. io_uring and a non-fd target).
     */
    public synchronized TargetHandle attach(final DeviceTarget target)
    {
        final String reason = backend.unsupportedReason(target);
        if (reason != null)
        {
            throw new IllegalArgumentException(
                "backend " + backend.name() + " of device " + name + " cannot serve " + target.name() + ": " + reason);
        }
        final int targetIndex;
        if (freeTargetCount > 0)
        {
            targetIndex = freeTargetIndices[--freeTargetCount];
        }
        else if (nextTargetIndex == MAX_TARGETS)
        {
            throw new IllegalStateException("device " + name + " already has " + MAX_TARGETS + " targets");
        }
        else
        {
            targetIndex = nextTargetIndex++;
        }
        return new TargetHandle(this, target, targetIndex);
    }

    /**
     * Detaches a target: submissions naming {@code handle} are refused from now on; requests already
     * submitted run to completion (any still in the ring when the detach takes effect complete with
     * {@link IoStatus#DETACHED}); then the backend releases the target (its registered-file slot) and
     * the handle's index is free for the next {@link #attach}. The target itself (its file) stays
     * open and belongs to the caller, who may close it once the future completes.
     *
     * @param handle a target attached to this device.
     * @return completes on the device's thread once the detach has taken effect.
     * @throws IllegalStateException when the handle is already detached or detaching.
     */
    public CompletableFuture<Void> detach(final TargetHandle handle)
    {
        if (handle.device() != this)
        {
            throw new IllegalArgumentException("target " + handle + " is not attached to device " + name);
        }
        synchronized (this)
        {
            if (!handle.beginDetach())
            {
                throw new IllegalStateException("target " + handle + " is already detached");
            }
        }
        // Through the ring even from the device's own thread: requests published before this call
        // must be admitted first.
        return send(new DeviceCommand.Detach(handle), false);
    }

    synchronized void releaseTargetIndex(final int targetIndex)
    {
        if (freeTargetCount == freeTargetIndices.length)
        {
            freeTargetIndices = Arrays.copyOf(freeTargetIndices, freeTargetCount * 2);
        }
        freeTargetIndices[freeTargetCount++] = targetIndex;
    }

    /**
     * Registers memory with the backend (e.g. io_uring's fixed buffers) while the device runs; the
     * registration is made on the device's thread, and this call waits for it. Requests on the
     * returned {@link RegisteredMemory} then use the registration (io_uring: {@code READ_FIXED}/
     * {@code WRITE_FIXED} with its index).
     *
     * @param memory memory of a kind the backend's registrar accepts; it must stay allocated until unregistered.
     * @return the registration.
     * @throws ConduitException {@code MEMORY_REGISTRATION_UNSUPPORTED} when the backend registers nothing;
     *                          {@code SCHEDULER_CLOSED} after close.
     * @throws IllegalArgumentException when the registrar cannot register this kind of memory.
     * @throws IllegalStateException    when the registrar's table is full.
     */
    public RegisteredMemory registerBuffer(final IoMemory memory)
    {
        return await(send(new DeviceCommand.RegisterBuffer(registrar(), memory), true));
    }

    /**
     * Releases a registration made by {@link #registerBuffer} and waits until it is gone. Requests in
     * flight on it complete normally; later requests naming it are served as plain memory.
     *
     * @param registration a registration of this device's backend.
     */
    public void unregisterBuffer(final RegisteredMemory registration)
    {
        final BufferRegistrar registrar = registrar();
        if (registration.registrar() != registrar)
        {
            throw new IllegalArgumentException(registration + " was not made by the backend of device " + name);
        }
        await(send(new DeviceCommand.UnregisterBuffer(registrar, registration), true));
    }

    private BufferRegistrar registrar()
    {
        final BufferRegistrar registrar = backend.registrar();
        if (registrar == null)
        {
            throw new ConduitException(ErrorCode.MEMORY_REGISTRATION_UNSUPPORTED, "backend " + backend.name() + " of device " + name + " cannot register memory");
        }
        return registrar;
    }

    /**
     * Hands a command to the device's thread through the ring, after every event published before it.
     *
     * @param command  the command.
     * @param runHere  run it at once when this thread may act as the device's thread (INVOKER mode, or
     *                 the device's own thread), for commands that need no ordering with requests and
     *                 whose caller waits for them (nobody else would run the duty cycle meanwhile).
     * @return the command's result.
     */
    private <T> CompletableFuture<T> send(final DeviceCommand<T> command, final boolean runHere)
    {
        if (runHere && (invoker || Thread.currentThread() == runner.thread()))
        {
            DeviceAgent.execute(command, agent);
            return command.result();
        }
        if (closing)
        {
            throw new ConduitException(ErrorCode.SCHEDULER_CLOSED, "device " + name + " is closed");
        }
        publishControl(IoEvent.COMMAND, 0, command);
        return command.result();
    }

    /** Publishes a cancellation or a command: an event that is not a request. */
    private void publishControl(final int kind, final long cancelId, final DeviceCommand<?> command)
    {
        final long sequence = claimOrFail();
        final IoEvent event = ring.get(sequence);
        event.kind = IoEvent.NONE;
        try
        {
            event.cancelId = cancelId;
            event.command = command;
            event.kind = kind;
        }
        finally
        {
            publishClaimed(sequence);
        }
    }

    private static <T> T await(final CompletableFuture<T> future)
    {
        try
        {
            return future.join();
        }
        catch (final CompletionException e)
        {
            if (e.getCause() instanceof RuntimeException cause)
            {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Submits a request, waiting while the ring is full.
     *
     * @param request  what to do (copied; reusable at once).
     * @param callback called once with the result.
     * @param tag      passed to the callback.
     * @return the request id (for {@link #cancel(long)}).
     * @throws IllegalArgumentException for a malformed request (range, buffer, alignment).
     * @throws ConduitException {@code SCHEDULER_CLOSED} after close; {@code DEVICE_FAILED} (the cause
     *                          attached) after the device stopped on an error; {@code RING_FULL} when
     *                          the ring is full and waiting could never end (called on the device's own
     *                          thread, or in INVOKER mode). A producer waiting for a slot of a device that
     *                          fails is released, and its request completes with {@link IoStatus#SHUTDOWN}.
     */
    public long submit(final IoRequest request, final IoCallback callback, final long tag)
    {
        validate(request, callback);
        final MemoryGuard guard = RequestMemory.acquire(request);
        final long nowNs = submitTimeNs();
        final long sequence;
        try
        {
            sequence = claimOrFail();
        }
        catch (final RuntimeException e)
        {
            RequestMemory.release(guard);
            throw e;
        }
        publish(sequence, request, callback, tag, nowNs);
        return idOf(sequence);
    }

    /**
     * Submits a request unless the ring is full.
     *
     * @param request  what to do.
     * @param callback called once with the result.
     * @param tag      passed to the callback.
     * @return the request id, or {@link IoStatus#REJECTED} when the ring is full (nothing was submitted).
     * @throws IllegalArgumentException for a malformed request.
     * @throws ConduitException {@code SCHEDULER_CLOSED} after close; {@code DEVICE_FAILED} after the
     *                          device stopped on an error.
     */
    public long trySubmit(final IoRequest request, final IoCallback callback, final long tag)
    {
        validate(request, callback);
        final MemoryGuard guard = RequestMemory.acquire(request);
        final long nowNs = submitTimeNs();
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException e)
        {
            RequestMemory.release(guard);
            metrics.addConcurrently(request.priority().ordinal(), DeviceCounter.REJECTED);
            return IoStatus.REJECTED;
        }
        publish(sequence, request, callback, tag, nowNs);
        return idOf(sequence);
    }

    /**
     * Submits a request with a future for its result (allocates the future).
     *
     * @param request what to do.
     * @return a future completing with the bytes transferred.
     */
    public IoFuture submit(final IoRequest request)
    {
        final IoFuture future = new IoFuture(request.toString());
        final long id = submit(request, future, 0);
        future.bind(this, id);
        return future;
    }

    /**
     * Asks for a request to be cancelled: one not yet dispatched completes at once with
     * {@link IoStatus#CANCELLED}; one with I/O in flight completes so once that I/O returns (the
     * backend is asked to abort it where it can). A request that has already completed is unaffected.
     *
     * @param requestId an id returned by a submit on this device.
     */
    public void cancel(final long requestId)
    {
        if (terminated || (requestId >>> ID_SEQUENCE_BITS) != index)
        {
            return;
        }
        publishControl(IoEvent.CANCEL, requestId, null);
    }

    /** The submission stamp: the device's cached cycle time while it runs, the clock when it is parked (or in INVOKER mode). */
    private long submitTimeNs()
    {
        return invoker || runner.isParked() ? clock.nanoTime() : cachedClock.nanoTime();
    }

    private long claimOrFail()
    {
        if (invoker || Thread.currentThread() == runner.thread())
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException e)
            {
                throw new ConduitException(ErrorCode.RING_FULL, "the ring of device " + name +
                    " is full and this thread (" + Thread.currentThread().getName() + ") is the one that drains it; " +
                    "use trySubmit from callbacks");
            }
        }
        return ring.next();
    }

    private void publish(
        final long sequence, final IoRequest request, final IoCallback callback, final long tag, final long nowNs)
    {
        final IoEvent event = ring.get(sequence);
        // A claimed slot is always published (finally): an unpublished one would stall the ring for
        // good. Until the fill is complete it is marked NONE, so a fill that throws publishes a no-op.
        event.kind = IoEvent.NONE;
        try
        {
            fill(event, request, callback, tag, nowNs);
            event.kind = IoEvent.SUBMIT;
        }
        finally
        {
            publishClaimed(sequence);
        }
    }

    private static void fill(
        final IoEvent event, final IoRequest request, final IoCallback callback, final long tag, final long nowNs)
    {
        event.op = request.op();
        event.target = request.target();
        event.offsetBytes = request.offsetBytes();
        event.lengthBytes = request.lengthBytes();
        event.buffer = request.buffer();
        event.bufferAddress = request.memoryAddress() + request.bufferOffsetBytes();
        event.guard = request.guard();
        event.registration = request.registration();
        event.priority = request.priority();
        event.hasDeadline = request.hasDeadline();
        event.deadlineNs = request.deadlineIsRelative() ? nowNs + request.rawDeadlineNs() : request.rawDeadlineNs();
        event.callback = callback;
        event.tag = tag;
        event.submitNs = nowNs;
    }

    private void publishClaimed(final long sequence)
    {
        ring.publish(sequence);
        afterPublish();
    }

    private void afterPublish()
    {
        // Orders the publish before the reads below (and the device's "parked"/"terminated" writes
        // before its ring reads): either the device sees this event, or this thread sees that it must act.
        VarHandle.fullFence();
        if (terminated)
        {
            drainAfterTermination();
        }
        else if (runner.isParked())
        {
            runner.wake();
        }
    }

    private long idOf(final long sequence)
    {
        return ((long)index << ID_SEQUENCE_BITS) | (sequence & ID_SEQUENCE_MASK);
    }

    private void validate(final IoRequest request, final IoCallback callback)
    {
        final TargetHandle handle = request.target();
        if (handle == null || callback == null)
        {
            throw new IllegalArgumentException("request needs a target and a callback: " + request);
        }
        if (handle.device() != this)
        {
            throw new IllegalArgumentException("target " + handle + " is not attached to device " + name);
        }
        if (!handle.isAttached())
        {
            throw new ConduitException(ErrorCode.TARGET_DETACHED, "target " + handle + " is detached; " + request + " was not submitted");
        }
        final DeviceTarget target = handle.target();
        final long offset = request.offsetBytes();
        final long length = request.lengthBytes();
        final long bufferOffset = request.bufferOffsetBytes();
        if (offset < 0 || length < 0 || length > target.sizeBytes() - offset)
        {
            throw new IllegalArgumentException(request + " is outside " + target.name() + " (size " + target.sizeBytes() + ")");
        }
        RequestMemory.check(request, bufferOffset, length, acceptedMemoryKinds, backend, name);
        final long mask = target.alignment() - 1L;
        if (((offset | length | (request.memoryAddress() + bufferOffset)) & mask) != 0)
        {
            throw new IllegalArgumentException(request + ": offset, length and buffer address must be aligned to " +
                target.alignment() + " bytes for " + target.name());
        }
        final Throwable failure = this.failure;
        if (failure != null)
        {
            throw new ConduitException(ErrorCode.DEVICE_FAILED, "device " + name + " stopped after an error (" + failure + "); " + request + " was not submitted", failure);
        }
        if (closing)
        {
            throw new ConduitException(ErrorCode.SCHEDULER_CLOSED, "device " + name + " is closed; " + request + " was not submitted");
        }
    }

    // ------------------------------------------------------------------ duty cycle and lifecycle

    int doWork()
    {
        if (!invoker)
        {
            throw new IllegalStateException("doWork() is for INVOKER mode; device " + name + " has its own thread");
        }
        return invokeDutyCycle();
    }

    /** One duty cycle on the invoking thread; a throw fails the device (see {@link #fail}) and propagates. */
    private int invokeDutyCycle()
    {
        if (failure != null)
        {
            return 0;
        }
        try
        {
            return agent.doWork();
        }
        catch (final Throwable t)
        {
            fail(t);
            throw t;
        }
    }

    /** @return true once {@code close()} began: the device's thread stops when drained. */
    boolean isClosing()
    {
        return closing;
    }

    /** @return true once the device stopped for good (closed or failed). */
    boolean isTerminated()
    {
        return terminated;
    }

    DeviceAgent agent()
    {
        return agent;
    }

    long ringRemainingCapacity()
    {
        return ring.remainingCapacity();
    }

    void beginClose()
    {
        closing = true;
        if (!invoker)
        {
            runner.wake();
        }
    }

    /**
     * Drains and stops: waits for every admitted request to complete, up to {@code drainTimeoutNs};
     * then fails the still-queued ones with {@link IoStatus#SHUTDOWN} and waits for the I/O in
     * flight (which cannot be abandoned: the kernel may still be writing into callers' buffers);
     * then closes the backend and frees the task memory.
     */
    void awaitClosed(final long drainTimeoutNs) throws InterruptedException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (invoker)
        {
            final long deadlineNs = System.nanoTime() + drainTimeoutNs;
            boolean aborted = false;
            while (failure == null && !agent.isDrained())
            {
                if (!aborted && (System.nanoTime() - deadlineNs) >= 0)
                {
                    agent.abortPending();
                    aborted = true;
                }
                if (invokeDutyCycle() == 0)
                {
                    Thread.yield();
                }
            }
            if (failure == null)
            {
                agent.onClose();
            }
        }
        else
        {
            runner.awaitStopped(drainTimeoutNs);
        }
        terminated = true;
        VarHandle.fullFence();
        drainAfterTermination();
    }

    private synchronized void drainAfterTermination()
    {
        agent.drainRing(SHUTDOWN_HANDLER);
    }

    /**
     * The duty cycle threw (a backend failure, a bug, an {@link Error}): the device's state can no
     * longer be trusted, so it stops for good. The backend is closed (stopping its I/O as far as it
     * can), every admitted request completes once with a failure, the device is marked terminated
     * so that producers blocked on the full ring are released and what they publish completes with
     * {@link IoStatus#SHUTDOWN}, later submits throw {@code DEVICE_FAILED}, and the error goes to
     * the error handler. Runs on the thread whose duty cycle threw.
     */
    void fail(final Throwable cause)
    {
        failure = cause;
        try
        {
            agent.failAll(cause);
        }
        finally
        {
            terminated = true;
            VarHandle.fullFence();
            drainAfterTermination();
            try
            {
                errorHandler.accept(cause);
            }
            catch (final Throwable t)
            {
                // The handler is the last resort; a failing one must not stop the release above.
                cause.addSuppressed(t);
            }
        }
    }

    private static final EventPoller.Handler<IoEvent> SHUTDOWN_HANDLER = (event, sequence, endOfBatch) ->
    {
        final IoCallback callback = event.callback;
        final long tag = event.tag;
        final boolean submit = event.kind == IoEvent.SUBMIT;
        RequestMemory.release(event.guard);
        if (event.kind == IoEvent.COMMAND)
        {
            event.command.result().completeExceptionally(new ConduitException(ErrorCode.SCHEDULER_CLOSED, "the device closed before the command ran"));
        }
        event.clear();
        if (submit && callback != null)
        {
            callback.onComplete(tag, IoStatus.SHUTDOWN);
        }
        return true;
    };
}
