package dev.conduit.scheduler;

import java.util.function.Consumer;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;

/**
 * The per-device submit handler, written as a duty cycle. Each {@link #doWork()} reaps backend
 * completions, admits new ring events into the request pool, fails requests whose deadline has
 * passed, and dispatches tasks up to the queue depth, {@code LATENCY} first:
 *
 * <pre>
 *   producers ──► RingBuffer&lt;IoEvent&gt; ──poll──► request pool ──► LATENCY queue ─┐
 *                  (bounded; full ⇒ producers       (bounded; full ⇒   BULK queue ──┴► split / merge ──► IoTask ──► Backend
 *                   block or are rejected)           ring not polled)                   (≤ queue depth)       │
 *   callbacks ◄── finish(request) ◄── onTaskComplete ◄──────────────────────────────────── poll ◄─────────────┘
 * </pre>
 *
 * <p>Every structure is preallocated: the request pool ({@link DeviceContext#maxRequests()}), one
 * task per queue-depth slot with a native iovec array, intrusive queues. The steady state allocates
 * nothing.
 *
 * <p>Why it is long (~700 lines): the pools ({@link RequestPool}, {@link TaskPool}), the deadline list
 * ({@link DeadlineList}) and the device's thread ({@link DeviceRunner}) are their own classes; what is
 * left is admission, dispatch (split, merge, priority), completion and failure, which all read and
 * write the same class queues and in-flight counts within one duty cycle. Split further, each part
 * would need the others' state passed in or exposed, for no gain in clarity.
 *
 * <p>Threading: every method runs on the device's thread (or the invoking thread in
 * {@link ThreadingMode#INVOKER}), except where noted; nothing here is locked or volatile apart from
 * the ring and the metrics.
 */
final class DeviceAgent implements TaskCompletionHandler, EventPoller.Handler<IoEvent>
{
    private static final int POLL_LIMIT = 256;
    private static final int LATENCY = Priority.LATENCY.ordinal();
    private static final int BULK = Priority.BULK.ordinal();

    private final long idBase;
    private final RingBuffer<IoEvent> ring;
    private final EventPoller<IoEvent> poller;
    private final Backend backend;
    private final NanoClock clock;
    private final DeviceMetrics metrics;
    private final Consumer<Throwable> errorHandler;

    private final int queueDepth;
    private final int completionBatch;
    private final int submitBatch;
    private final int bulkLimit;
    private final long taskSizeBytes;
    private final long coalesceMaxBytes;
    private final int coalesceWindow;
    private final int latencyBurst;

    private final RequestPool requests;
    private final TaskPool tasks;
    private final RequestQueue[] queues = {new RequestQueue(), new RequestQueue()};
    private final int[] inFlightByClass = new int[2];
    private int inFlight;
    private int latencyStreak;

    private final DeadlineList deadlines;
    // Allocated once: the deadline scan hands expired requests here.
    private final Consumer<RequestState> timeOut = r -> abort(r, IoStatus.TIMED_OUT);

    private long nowNs;
    private final CachedClock cachedClock;
    private int polledThisCycle;
    private boolean abortPending;
    private final TargetTable targets;

    DeviceAgent(
        final int deviceIndex, final RingBuffer<IoEvent> ring, final Backend backend, final DeviceContext context,
        final NanoClock clock, final DeviceMetrics metrics, final Consumer<Throwable> errorHandler)
    {
        this.idBase = (long)deviceIndex << IoDevice.ID_SEQUENCE_BITS;
        this.ring = ring;
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.backend = backend;
        this.clock = clock;
        this.metrics = metrics;
        this.errorHandler = errorHandler;
        this.targets = new TargetTable(backend, errorHandler);
        this.queueDepth = context.queueDepth();
        this.completionBatch = context.completionBatch();
        this.submitBatch = context.submitBatch();
        this.bulkLimit = context.queueDepth() - context.latencyReserve();
        this.taskSizeBytes = context.taskSizeBytes();
        // A request is merged whole, so it must also fit in one task.
        this.coalesceMaxBytes = Math.min(context.coalesceMaxBytes(), context.taskSizeBytes());
        this.coalesceWindow = context.coalesceWindow();
        this.latencyBurst = context.latencyBurst();
        this.requests = new RequestPool(context.maxRequests());
        this.tasks = new TaskPool(queueDepth, context.maxIovPerTask());
        this.nowNs = clock.nanoTime();
        this.cachedClock = new CachedClock(nowNs);
        this.deadlines = new DeadlineList(context.deadlineCheckIntervalNs(), nowNs);
    }

    void onStart(final DeviceWaker waker)
    {
        backend.start(waker);
    }

    /**
     * One duty cycle.
     *
     * @return work done (completions + events admitted + deadlines expired + tasks dispatched); 0 when idle.
     */
    int doWork()
    {
        nowNs = clock.nanoTime();
        cachedClock.update(nowNs);
        final int work = backend.poll(this, completionBatch) + pollRing() + deadlines.expire(nowNs, timeOut) + dispatch();
        if (work > 0)
        {
            publishGauges();
        }
        metrics.publish();
        return work;
    }

    /** @return true when nothing is admitted, nothing is in flight, and every claimed ring slot has been consumed. */
    boolean isDrained()
    {
        return requests.isAllFree() && inFlight == 0 &&
            ring.getCursor() == poller.getSequence().get();
    }

    /**
     * Called by the idle strategy after it announced that the thread will park: is there anything
     * a duty cycle could do now? If not, the backend arranges to wake the thread on its next completion.
     *
     * @return true when the thread should not park.
     */
    boolean prepareToPark()
    {
        return (requests.hasFree() && ring.getCursor() != poller.getSequence().get()) || backend.prepareToPark();
    }

    /**
     * Lets the backend block the thread until it has completions or is woken ({@link Backend#awaitWork()}).
     *
     * @return true when it did; false when the thread should park instead.
     */
    boolean awaitWork()
    {
        return backend.awaitWork();
    }

    /** Fails every queued request, and every request admitted from now on, with {@link IoStatus#SHUTDOWN}. */
    void abortPending()
    {
        abortPending = true;
        for (final RequestQueue queue : queues)
        {
            while (!queue.isEmpty())
            {
                abort(queue.head(), IoStatus.SHUTDOWN);
            }
        }
    }

    /**
     * After a duty cycle threw: closes the backend (so that its I/O stops as far as it can), then
     * completes every live request exactly once: with {@link IoStatus#DEVICE_FAILED} when some of
     * its I/O was in flight (its outcome is unknown), else with {@link IoStatus#SHUTDOWN} (it never ran), unless it
     * already had a failure (a timeout or cancel waiting for its I/O); then frees the task memory.
     * Nothing thrown here (the backend's close, a callback's Error) stops the others from completing;
     * such throws are added to {@code cause} as suppressed.
     *
     * @param cause what the duty cycle threw.
     */
    void failAll(final Throwable cause)
    {
        abortPending = true;
        try
        {
            backend.close();
        }
        catch (final Throwable t)
        {
            cause.addSuppressed(t);
        }
        for (final RequestState r : requests.all())
        {
            if (!r.live)
            {
                continue;
            }
            if (r.failCode == 0)
            {
                r.failCode = r.inFlightTasks > 0 ? IoStatus.DEVICE_FAILED : IoStatus.SHUTDOWN;
            }
            if (r.queued)
            {
                queues[r.priority.ordinal()].remove(r);
            }
            try
            {
                finish(r);
            }
            catch (final Throwable t)
            {
                cause.addSuppressed(t);
            }
        }
        for (final IoTask task : tasks.all())
        {
            task.clear();
        }
        inFlight = 0;
        inFlightByClass[LATENCY] = 0;
        inFlightByClass[BULK] = 0;
        publishGauges();
        metrics.publish();
        tasks.close();
    }

    /** Releases the backend and the native task memory; called once, after {@link #isDrained()}. */
    void onClose()
    {
        publishGauges();
        metrics.publish();
        try
        {
            backend.close();
        }
        finally
        {
            tasks.close();
        }
    }

    /** @return the start of the current duty cycle, for producers (any thread). */
    CachedClock cachedClock()
    {
        return cachedClock;
    }

    int inFlightTasks()
    {
        return inFlight;
    }

    int liveRequests()
    {
        return requests.live();
    }

    // ------------------------------------------------------------------ admission

    private int pollRing()
    {
        if (!requests.hasFree())
        {
            return 0;
        }
        polledThisCycle = 0;
        try
        {
            poller.poll(this);
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            // EventPoller.poll declares Exception; the handler throws nothing checked.
            throw new IllegalStateException(e);
        }
        return polledThisCycle;
    }

    @Override
    public boolean onEvent(final IoEvent event, final long sequence, final boolean endOfBatch)
    {
        try
        {
            if (event.kind == IoEvent.SUBMIT)
            {
                admit(event, sequence);
            }
            else if (event.kind == IoEvent.CANCEL)
            {
                cancel(event.cancelId);
            }
            else if (event.kind == IoEvent.COMMAND)
            {
                execute(event.command, this);
            }
        }
        finally
        {
            event.clear();
        }
        return requests.hasFree() && ++polledThisCycle < POLL_LIMIT;
    }

    private void admit(final IoEvent event, final long sequence)
    {
        final RequestState r = requests.acquire();
        r.live = true;
        r.id = idBase | (sequence & IoDevice.ID_SEQUENCE_MASK);
        r.op = event.op;
        r.target = event.target;
        r.offsetBytes = event.offsetBytes;
        r.lengthBytes = event.lengthBytes;
        r.cursor = event.offsetBytes;
        r.buffer = event.buffer;
        r.bufferAddress = event.bufferAddress;
        r.guard = event.guard;
        r.registration = event.registration;
        r.priority = event.priority;
        r.hasDeadline = event.hasDeadline;
        r.deadlineNs = event.deadlineNs;
        r.callback = event.callback;
        r.tag = event.tag;
        r.submitNs = event.submitNs;
        r.mergeCandidate = r.lengthBytes <= coalesceMaxBytes;
        targets.admitted(r.target);

        if (abortPending)
        {
            r.failCode = IoStatus.SHUTDOWN;
            finish(r);
        }
        else if (r.target.isDetached())
        {
            // Submitted before the detach began but claimed its ring slot after the detach command:
            // the handle's index may already name another target, so nothing of it may be dispatched.
            r.failCode = IoStatus.DETACHED;
            finish(r);
        }
        else if (r.hasDeadline && (r.deadlineNs - nowNs) <= 0)
        {
            r.failCode = IoStatus.TIMED_OUT;
            finish(r);
        }
        else if (r.lengthBytes == 0)
        {
            finish(r);
        }
        else
        {
            if (r.hasDeadline)
            {
                deadlines.link(r);
            }
            queues[r.priority.ordinal()].addLast(r);
        }
    }

    // ------------------------------------------------------------------ commands

    /**
     * Runs a command on the device's thread, failing its future rather than the duty cycle when it throws.
     *
     * @param command the command.
     * @param agent   the device's duty cycle.
     */
    static void execute(final DeviceCommand<?> command, final DeviceAgent agent)
    {
        try
        {
            command.execute(agent);
        }
        catch (final RuntimeException e)
        {
            command.result().completeExceptionally(e);
        }
    }

    /**
     * Completes a detach once the target has no live request; until then the detach waits and
     * the target's requests already admitted keep running.
     *
     * @param detach the command.
     */
    void detachWhenIdle(final DeviceCommand.Detach detach)
    {
        targets.detachWhenIdle(detach);
    }

    // ------------------------------------------------------------------ cancellation

    private void cancel(final long requestId)
    {
        for (final RequestState r : requests.all())
        {
            if (r.live && r.id == requestId)
            {
                abort(r, IoStatus.CANCELLED);
                return;
            }
        }
    }

    /** Fails a live request with {@code code}: at once when none of its I/O is in flight, else once that returns. */
    private void abort(final RequestState r, final long code)
    {
        if (r.failCode != 0)
        {
            return;
        }
        r.failCode = code;
        if (r.queued)
        {
            queues[r.priority.ordinal()].remove(r);
        }
        if (r.inFlightTasks == 0)
        {
            finish(r);
            return;
        }
        for (final IoTask task : tasks.all())
        {
            for (int i = 0; i < task.partCount; i++)
            {
                if (task.parts[i] == r)
                {
                    backend.cancel(task);
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    private int dispatch()
    {
        int dispatched = 0;
        int unflushed = 0;
        while (inFlight < queueDepth)
        {
            final RequestState r = pickNext();
            if (r == null)
            {
                break;
            }
            final IoTask task = tasks.acquire();
            build(task, r);
            final int cls = task.priority.ordinal();
            inFlight++;
            inFlightByClass[cls]++;
            metrics.increment(cls, DeviceCounter.TASKS);
            backend.submit(task);
            dispatched++;
            if (++unflushed == submitBatch)
            {
                backend.flush();
                unflushed = 0;
            }
        }
        if (unflushed > 0)
        {
            backend.flush();
        }
        if (dispatched > 0)
        {
            metrics.recordQueueDepth(inFlight);
        }
        return dispatched;
    }

    /**
     * LATENCY first; but after {@code latencyBurst} LATENCY picks in a row while BULK was waiting
     * and allowed, BULK gets the next pick; BULK never takes the last {@code latencyReserve} slots.
     */
    private RequestState pickNext()
    {
        final RequestQueue latency = queues[LATENCY];
        final RequestQueue bulk = queues[BULK];
        final boolean bulkReady = !bulk.isEmpty() && inFlightByClass[BULK] < bulkLimit;
        if (!latency.isEmpty())
        {
            if (bulkReady)
            {
                if (latencyStreak >= latencyBurst)
                {
                    latencyStreak = 0;
                    return bulk.head();
                }
                latencyStreak++;
            }
            return latency.head();
        }
        if (bulkReady)
        {
            latencyStreak = 0;
            return bulk.head();
        }
        return null;
    }

    /** Fills {@code task} from {@code r} (the head of its queue): a whole small request plus adjacent neighbours, or the next slice of a large one. */
    private void build(final IoTask task, final RequestState r)
    {
        final RequestQueue queue = queues[r.priority.ordinal()];
        final long remaining = r.endBytes() - r.cursor;
        task.reset(r.target, r.op, r.priority, r.cursor);
        if (r.cursor == r.offsetBytes && remaining <= coalesceMaxBytes && !r.noCoalesce)
        {
            queue.remove(r);
            task.addPart(r, r.bufferAddress, remaining);
            r.cursor = r.endBytes();
            mergeNeighbours(task, r, queue);
        }
        else
        {
            final long length = Math.min(remaining, taskSizeBytes);
            task.addPart(r, r.bufferAddress + (r.cursor - r.offsetBytes), length);
            r.cursor += length;
            if (r.fullyDispatched())
            {
                queue.remove(r);
            }
        }
    }

    /** Appends queued requests that continue the task's byte range, searching the first {@code coalesceWindow} entries, until the task is full. */
    private void mergeNeighbours(final IoTask task, final RequestState first, final RequestQueue queue)
    {
        boolean merged = true;
        while (merged && !task.isFull())
        {
            merged = false;
            final long runEnd = task.offsetBytes + task.lengthBytes;
            if (!queue.mayHoldCandidateAt(runEnd))
            {
                return;
            }
            RequestState c = queue.head();
            for (int scanned = 0; c != null && scanned < coalesceWindow; scanned++)
            {
                if (c.offsetBytes == runEnd && c.target == first.target && c.op == first.op &&
                    c.cursor == c.offsetBytes && !c.noCoalesce && c.lengthBytes <= coalesceMaxBytes &&
                    task.lengthBytes + c.lengthBytes <= taskSizeBytes)
                {
                    queue.remove(c);
                    task.addPart(c, c.bufferAddress, c.lengthBytes);
                    c.cursor = c.endBytes();
                    metrics.increment(c.priority.ordinal(), DeviceCounter.MERGED);
                    merged = true;
                    break;
                }
                c = c.next;
            }
        }
    }

    // ------------------------------------------------------------------ completion

    @Override
    public void onTaskComplete(final IoTask task, final long result)
    {
        final int cls = task.priority.ordinal();
        inFlight--;
        inFlightByClass[cls]--;
        final int parts = task.partCount;
        if (result < 0 && parts > 1)
        {
            // A merged I/O failed: retry each request on its own so that the error fails only the request it belongs to.
            metrics.increment(cls, DeviceCounter.MERGE_RETRIES);
            final RequestQueue queue = queues[cls];
            for (int i = parts - 1; i >= 0; i--)
            {
                final RequestState r = task.parts[i];
                r.inFlightTasks--;
                if (r.failCode != 0)
                {
                    if (r.inFlightTasks == 0)
                    {
                        finish(r);
                    }
                }
                else
                {
                    r.cursor = r.offsetBytes;
                    r.transferred = 0;
                    r.noCoalesce = true;
                    r.mergeCandidate = false;
                    queue.addFirst(r);
                }
            }
            releaseTask(task);
            return;
        }

        long left = result;
        for (int i = 0; i < parts; i++)
        {
            final RequestState r = task.parts[i];
            final long length = task.partLengths[i];
            r.inFlightTasks--;
            if (result < 0)
            {
                if (r.failCode == 0)
                {
                    r.failCode = result;
                    if (r.queued)
                    {
                        queues[cls].remove(r);
                    }
                }
            }
            else
            {
                final long got = Math.min(length, left);
                left -= got;
                r.transferred += got;
            }
            if (r.inFlightTasks == 0 && (r.failCode != 0 || (!r.queued && r.fullyDispatched())))
            {
                finish(r);
            }
        }
        releaseTask(task);
    }

    private void releaseTask(final IoTask task)
    {
        tasks.release(task);
    }

    /** Completes a request: metrics, return to the pool, then the callback (so the callback may reuse the slot). */
    private void finish(final RequestState r)
    {
        final long result = r.failCode != 0 ? r.failCode : r.transferred;
        final int cls = r.priority.ordinal();
        final DeviceMetrics metrics = this.metrics;
        metrics.increment(cls, DeviceCounter.REQUESTS);
        if (result >= 0)
        {
            metrics.add(cls, DeviceCounter.BYTES, result);
        }
        else
        {
            metrics.increment(cls, failureCounter(result));
        }
        metrics.recordLatency(cls, nowNs - r.submitNs);
        if (r.inDeadlineList)
        {
            deadlines.unlink(r);
        }
        final IoCallback callback = r.callback;
        final long tag = r.tag;
        final TargetHandle target = r.target;
        RequestMemory.release(r.guard);
        r.clear();
        requests.release(r);
        targets.finished(target);
        try
        {
            callback.onComplete(tag, result);
        }
        catch (final RuntimeException e)
        {
            metrics.increment(cls, DeviceCounter.CALLBACK_ERRORS);
            errorHandler.accept(e);
        }
    }

    private static DeviceCounter failureCounter(final long result)
    {
        if (result == IoStatus.TIMED_OUT)
        {
            return DeviceCounter.TIMED_OUT;
        }
        if (result == IoStatus.CANCELLED)
        {
            return DeviceCounter.CANCELLED;
        }
        if (result == IoStatus.SHUTDOWN)
        {
            return DeviceCounter.SHUT_DOWN;
        }
        return DeviceCounter.IO_ERRORS;
    }

    private void publishGauges()
    {
        metrics.pending(LATENCY, queues[LATENCY].size());
        metrics.pending(BULK, queues[BULK].size());
        metrics.inFlight(LATENCY, inFlightByClass[LATENCY]);
        metrics.inFlight(BULK, inFlightByClass[BULK]);
    }

    // ------------------------------------------------------------------ after termination

    /**
     * Completes every event left in the ring with {@link IoStatus#SHUTDOWN}. Called only once the
     * device's thread has stopped, under the device's lock.
     *
     * @param shutdownHandler a handler doing exactly that.
     */
    void drainRing(final EventPoller.Handler<IoEvent> shutdownHandler)
    {
        try
        {
            EventPoller.PollState state;
            do
            {
                state = poller.poll(shutdownHandler);
            }
            while (state == EventPoller.PollState.PROCESSING);
        }
        catch (final Exception e)
        {
            errorHandler.accept(e);
        }
    }
}
