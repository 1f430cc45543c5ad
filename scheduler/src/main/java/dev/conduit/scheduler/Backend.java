package dev.conduit.scheduler;

import dev.conduit.core.memory.BufferRegistrar;
import dev.conduit.core.memory.MemoryKind;

/**
 * Performs tasks for one device: io_uring, a pread/pwrite thread pool, the null backend, and later
 * GDS, bounce-buffer, NVMe/TCP and SPDK backends. One instance serves one device.
 *
 * <p>Protocol, all on the device's thread: {@link #start} once; then any interleaving of
 * {@link #submit} (never more than {@link #capacity()} tasks outstanding), {@link #flush} (after a
 * batch of submits, e.g. one {@code io_uring_enter}) and {@link #poll} (reports completions,
 * returning task ownership); finally {@link #close} once no task is outstanding.
 *
 * <pre>{@code
 * backend.start(waker);
 * backend.submit(task1); backend.submit(task2); backend.flush();
 * backend.poll(handler, 64);   // handler.onTaskComplete(task1, 4096) ...
 * backend.close();
 * }</pre>
 *
 * <p>Threading: the methods above are called only by the device's thread. A backend may use its own
 * threads (workers, a reaper) and then must call the {@link DeviceWaker} after completions become
 * available to {@code poll}.
 */
public interface Backend extends AutoCloseable
{
    /** What a backend that moves bytes with host system calls accepts: host memory, registered or not. */
    int HOST_MEMORY_KINDS = MemoryKind.maskOf(MemoryKind.HOST, MemoryKind.HOST_REGISTERED);

    /** @return a short name for messages and metrics ({@code "io_uring"}, {@code "pread"}, {@code "null"}). */
    String name();

    /** @return the most tasks this backend can own at once; the device caps its queue depth at this. */
    int capacity();

    /**
     * @param target a target about to be attached.
     * @return null when this backend can serve it, else why not (e.g. "not fd-backed").
     */
    default String unsupportedReason(final DeviceTarget target)
    {
        return null;
    }

    /**
     * The memory a task's iovec addresses may point into. The device refuses a request on memory of
     * any other kind at submission ({@code MEMORY_KIND_UNSUPPORTED}), so the backend never sees it;
     * a host-call backend must not accept {@link MemoryKind#DEVICE}, whose addresses are device
     * pointers. Read once, when the device is made.
     *
     * @return a mask of {@link MemoryKind#bit()}s; {@link #HOST_MEMORY_KINDS} by default.
     */
    default int acceptedMemoryKinds()
    {
        return HOST_MEMORY_KINDS;
    }

    /**
     * @return the backend's buffer registration, whose methods the device calls on its own thread
     *         ({@link IoDevice#registerBuffer}), or null when it registers nothing (the default).
     */
    default BufferRegistrar registrar()
    {
        return null;
    }

    /**
     * Releases what the backend holds for a target (e.g. its registered-file slot). Called on the
     * device's thread once no request of {@code handle} is live, before the handle's index is reused.
     *
     * @param handle the target being detached.
     */
    default void detach(final TargetHandle handle)
    {
    }

    /**
     * Called once on the device's thread before the first submit.
     *
     * @param waker wakes the device when completions arrive from another thread.
     */
    void start(DeviceWaker waker);

    /**
     * Takes ownership of a task and starts it or queues it until {@link #flush()}.
     *
     * @param task the task; the device never submits more than {@link #capacity()} at once.
     */
    void submit(IoTask task);

    /**
     * Starts everything submitted since the last flush.
     *
     * @return work done (e.g. tasks pushed to the kernel).
     */
    int flush();

    /**
     * Reports finished tasks to {@code handler}, at most {@code limit}.
     *
     * @param handler receives each completion.
     * @param limit   most completions to report in this call.
     * @return completions reported.
     */
    int poll(TaskCompletionHandler handler, int limit);

    /**
     * Called by the device's thread when it is about to park, after announcing that it will: says
     * whether {@link #poll} has something to report now, and if not, makes sure the
     * {@link DeviceWaker} will be called when it does (a backend whose completions arrive on the
     * device's own thread has nothing to arrange).
     *
     * @return true when completions are ready (the device then stays awake).
     */
    boolean prepareToPark();

    /**
     * Lets the device's thread wait inside the backend instead of parking, for backends that can
     * wait for their own completions and for {@link #wakeUp()} in one blocking call (io_uring waits
     * in {@code io_uring_enter} with a wake-up eventfd armed in its ring). Called only after
     * {@link #prepareToPark()} returned false, while the device is marked parked.
     *
     * @return true when the backend waited (the device then runs a duty cycle); false to let the
     *         device park itself (the default).
     */
    default boolean awaitWork()
    {
        return false;
    }

    /**
     * Interrupts a wait in {@link #awaitWork()}, or makes the next one return at once. Called from
     * any thread (producers, the closing thread) when the device is parked.
     */
    default void wakeUp()
    {
    }

    /**
     * Best-effort attempt to abort a task in flight; it still completes through {@link #poll}
     * (typically with {@code -ECANCELED}).
     *
     * @param task a task this backend owns.
     * @return true when an abort was attempted.
     */
    default boolean cancel(final IoTask task)
    {
        return false;
    }

    /** Releases threads and native resources; called once, on the device's thread, with no task outstanding. */
    @Override
    void close();
}
