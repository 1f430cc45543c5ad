package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.conduit.nativebindings.ConduitException;

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
 * <p>Threading: {@code submit}, {@code trySubmit}, {@code cancel} and {@code attach} are safe from
 * any thread. The device's own thread (DEDICATED mode) runs the duty cycle and every completion
 * callback; between bursts it spins briefly, yields, then parks until a producer or the backend
 * wakes it.
 */
public final class IoDevice
{
    static final int ID_SEQUENCE_BITS = 48;
    static final long ID_SEQUENCE_MASK = (1L << ID_SEQUENCE_BITS) - 1;
    private static final int MAX_TARGETS = 1 << 16;

    private final IoScheduler scheduler;
    private final int index;
    private final String name;
    private final Backend backend;
    private final DeviceContext context;
    private final NanoClock clock;
    private final boolean invoker;
    private final RingBuffer<IoEvent> ring;
    private final DeviceMetrics metrics;
    private final DeviceAgent agent;
    private final CachedClock cachedClock;
    private final Runner runner;
    private final Consumer<Throwable> errorHandler;
    private volatile TargetHandle[] targets = new TargetHandle[0];
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile Throwable failure;
    private boolean closed;

    IoDevice(
        final IoScheduler scheduler, final int index, final String name, final Backend backend,
        final DeviceContext context, final IoScheduler.Context schedulerContext)
    {
        this.scheduler = scheduler;
        this.index = index;
        this.name = name;
        this.backend = backend;
        this.context = context.conclude(backend.capacity());
        this.clock = schedulerContext.clock();
        this.invoker = schedulerContext.threadingMode() == ThreadingMode.INVOKER;
        this.errorHandler = schedulerContext.errorHandler();
        this.ring = RingBuffer.createMultiProducer(IoEvent::new, this.context.ringSize(), new BusySpinWaitStrategy());
        this.metrics = new DeviceMetrics(name, this.context.queueDepth());
        this.agent = new DeviceAgent(index, ring, backend, this.context, clock, metrics, errorHandler);
        this.cachedClock = agent.cachedClock();
        this.runner = new Runner(schedulerContext);
    }

    void start()
    {
        if (invoker)
        {
            agent.onStart(runner);
        }
        else
        {
            runner.thread.start();
        }
    }

    /** @return the device's name. */
    public String name()
    {
        return name;
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
        final TargetHandle[] current = targets;
        if (current.length == MAX_TARGETS)
        {
            throw new IllegalStateException("device " + name + " already has " + MAX_TARGETS + " targets");
        }
        final TargetHandle handle = new TargetHandle(this, target, current.length);
        final TargetHandle[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = handle;
        targets = next;
        return handle;
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
        final long nowNs = submitTimeNs();
        final long sequence = claimOrFail();
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
        final long nowNs = submitTimeNs();
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException e)
        {
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
        final long sequence = claimOrFail();
        final IoEvent event = ring.get(sequence);
        try
        {
            event.cancelId = requestId;
            event.kind = IoEvent.CANCEL;
        }
        finally
        {
            publishClaimed(sequence);
        }
    }

    /** The submission stamp: the device's cached cycle time while it runs, the clock when it is parked (or in INVOKER mode). */
    private long submitTimeNs()
    {
        return invoker || runner.parked ? clock.nanoTime() : cachedClock.nanoTime();
    }

    private long claimOrFail()
    {
        if (invoker || Thread.currentThread() == runner.thread)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException e)
            {
                throw new ConduitException("RING_FULL", ConduitException.Category.ERROR, "the ring of device " + name +
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
        event.bufferAddress = request.buffer().address() + request.bufferOffsetBytes();
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
        else if (runner.parked)
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
        final DeviceTarget target = handle.target();
        final long offset = request.offsetBytes();
        final long length = request.lengthBytes();
        final MemorySegment buffer = request.buffer();
        final long bufferOffset = request.bufferOffsetBytes();
        if (offset < 0 || length < 0 || length > target.sizeBytes() - offset)
        {
            throw new IllegalArgumentException(request + " is outside " + target.name() + " (size " + target.sizeBytes() + ")");
        }
        if (!buffer.isNative() || bufferOffset < 0 || length > buffer.byteSize() - bufferOffset)
        {
            throw new IllegalArgumentException(request + ": buffer must be native and hold bufferOffset " + bufferOffset +
                " + length (buffer size " + buffer.byteSize() + ", native " + buffer.isNative() + ")");
        }
        if (request.op() == IoOp.READ && buffer.isReadOnly())
        {
            throw new IllegalArgumentException(request + ": cannot read into a read-only buffer");
        }
        final long mask = target.alignment() - 1L;
        if (((offset | length | (buffer.address() + bufferOffset)) & mask) != 0)
        {
            throw new IllegalArgumentException(request + ": offset, length and buffer address must be aligned to " +
                target.alignment() + " bytes for " + target.name());
        }
        final Throwable failure = this.failure;
        if (failure != null)
        {
            throw new ConduitException("DEVICE_FAILED", ConduitException.Category.ERROR,
                "device " + name + " stopped after an error (" + failure + "); " + request + " was not submitted", failure);
        }
        if (closing)
        {
            throw new ConduitException("SCHEDULER_CLOSED", ConduitException.Category.ERROR,
                "device " + name + " is closed; " + request + " was not submitted");
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
            runner.thread.join(Math.max(1, drainTimeoutNs / 1_000_000));
            if (runner.thread.isAlive())
            {
                runner.abortRequested = true;
                runner.wake();
                runner.thread.join();
            }
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
    private void fail(final Throwable cause)
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
        event.clear();
        if (submit && callback != null)
        {
            callback.onComplete(tag, IoStatus.SHUTDOWN);
        }
        return true;
    };

    /** The device's thread: runs the duty cycle with a spin, yield, park back-off, and is the {@link DeviceWaker}. */
    private final class Runner implements Runnable, DeviceWaker
    {
        private final Thread thread;
        private final int maxSpins;
        private final int maxYields;
        private final long maxParkNs;
        // Read by every producer after publishing; padded so writes to neighbours do not invalidate it.
        @SuppressWarnings("unused")
        private long p01, p02, p03, p04, p05, p06, p07;
        volatile boolean parked;
        @SuppressWarnings("unused")
        private long p11, p12, p13, p14, p15, p16, p17;
        volatile boolean abortRequested;

        Runner(final IoScheduler.Context context)
        {
            this.maxSpins = context.idleSpins();
            this.maxYields = context.idleYields();
            this.maxParkNs = context.idleMaxParkNs();
            this.thread = invoker ? null :
                Thread.ofPlatform().daemon(true).name(context.threadNamePrefix() + name).unstarted(this);
        }

        @Override
        public void wake()
        {
            if (parked && !terminated)
            {
                backend.wakeUp();
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run()
        {
            Throwable fatal = null;
            try
            {
                agent.onStart(this);
                dutyCycles();
            }
            catch (final Throwable t)
            {
                // Any throw out of the duty cycle leaves tasks whose owner is unknown: stop for good.
                fatal = t;
            }
            if (fatal != null)
            {
                fail(fatal);
            }
            else
            {
                agent.onClose();
            }
        }

        private void dutyCycles()
        {
            int idleCycles = 0;
            boolean aborted = false;
            while (true)
            {
                final int work = agent.doWork();
                if (closing)
                {
                    if (!aborted && abortRequested)
                    {
                        agent.abortPending();
                        aborted = true;
                    }
                    if (agent.isDrained())
                    {
                        return;
                    }
                }
                idleCycles = work > 0 ? 0 : idle(idleCycles + 1);
            }
        }

        private int idle(final int idleCycles)
        {
            if (idleCycles <= maxSpins)
            {
                Thread.onSpinWait();
            }
            else if (idleCycles <= maxSpins + maxYields)
            {
                Thread.yield();
            }
            else
            {
                parked = true;
                VarHandle.fullFence();
                try
                {
                    if (!agent.prepareToPark() && !agent.awaitWork())
                    {
                        LockSupport.parkNanos(this, maxParkNs);
                    }
                }
                finally
                {
                    parked = false;
                }
            }
            return idleCycles;
        }
    }
}
