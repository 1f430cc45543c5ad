package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.Closeables;
import dev.conduit.core.ConduitException;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.DeviceIdentity;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;

/**
 * An {@link ObjectStore} whose every namespace read and write goes through an {@link IoScheduler}:
 * one device per physical device (namespaces on one disk or file system share its queue, queue-depth
 * cap and thread), io_uring for file and block-device namespaces where the host has it, the pread
 * pool otherwise.
 *
 * <pre>{@code
 * try (ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY))
 * {
 *     scheduled.store().put("k", bytes, ObjectMetadata.NONE);
 * }
 * }</pre>
 *
 * <p>Resources: owns the scheduler (and so its device threads and rings), the store and the
 * namespaces. Closing closes the store first, so its last writes drain through the scheduler; then
 * the scheduler, which waits for every request still queued or in flight on the namespaces (reads
 * through {@link #targets()} included); and only then the namespaces, so that no request ever
 * runs against a closed (or reused) file descriptor. The store itself only gets a view of each
 * namespace whose {@code close()} is left to this class.
 */
public final class ScheduledStore implements AutoCloseable
{
    /** Picks the backend of each namespace's device. */
    @FunctionalInterface
    public interface BackendFactory
    {
        /**
         * @param deviceName the device's name (thread names).
         * @param queueDepth tasks the backend must hold in flight.
         * @param target     the namespace the device serves.
         * @return the backend, used by that device only.
         */
        Backend create(String deviceName, int queueDepth, NamespaceTarget target);
    }

    /**
     * io_uring for fd-backed namespaces where the host has it ({@link Backends#createDefault}), a
     * {@link BackendSource} namespace's own backend, else the pread pool.
     */
    public static final BackendFactory DEFAULT_BACKENDS = (name, queueDepth, target) -> target.fd() >= 0
        ? Backends.createDefault(name, queueDepth)
        : target.namespace() instanceof BackendSource source ? source.createBackend(name, queueDepth)
        : new PreadBackend(name + "-pread", queueDepth);

    private final IoScheduler scheduler;
    private final ObjectStore store;
    private final List<ScheduledNamespace> namespaces;
    private final List<TargetHandle> targets;
    private final ObjectRangeReader reader;
    private final Priority priority;

    private ScheduledStore(
        final IoScheduler scheduler, final ObjectStore store, final List<ScheduledNamespace> namespaces, final Priority priority)
    {
        this.scheduler = scheduler;
        this.store = store;
        this.namespaces = List.copyOf(namespaces);
        // DataDirectory wraps the namespaces in index order, so targets.get(i) is namespace i.
        this.targets = namespaces.stream().map(ScheduledNamespace::target).toList();
        this.reader = new ObjectRangeReader(this.targets);
        this.priority = priority;
    }

    /**
     * Opens the store in a data directory with its I/O on a new scheduler.
     *
     * @param dir      the data directory.
     * @param options  store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority class of the store's requests.
     * @return the open store.
     */
    public static ScheduledStore open(final Path dir, final StoreOptions options, final Priority priority)
    {
        return open(dir, options, priority, new DeviceContext().queueDepth());
    }

    /**
     * Opens the store with a chosen queue depth on every namespace's device.
     *
     * @param dir        the data directory.
     * @param options    store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority   class of the store's requests.
     * @param queueDepth tasks in flight per namespace.
     * @return the open store.
     */
    public static ScheduledStore open(final Path dir, final StoreOptions options, final Priority priority, final int queueDepth)
    {
        return open(dir, options, priority, new SchedulerContext(), () -> new DeviceContext().queueDepth(queueDepth),
            DEFAULT_BACKENDS);
    }

    /**
     * Opens the store with a chosen queue depth and backend on every device.
     *
     * @param dir        the data directory.
     * @param options    store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority   class of the store's requests.
     * @param queueDepth tasks in flight per device.
     * @param backends   picks each device's backend.
     * @return the open store.
     */
    public static ScheduledStore open(
        final Path dir, final StoreOptions options, final Priority priority, final int queueDepth,
        final BackendFactory backends)
    {
        return open(dir, options, priority, new SchedulerContext(), () -> new DeviceContext().queueDepth(queueDepth), backends);
    }

    /**
     * Opens the store with chosen scheduler and device settings (the {@code conduit} command's configuration).
     *
     * @param dir              the data directory.
     * @param options          store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority         class of the store's requests.
     * @param schedulerContext settings of the new scheduler.
     * @param deviceContexts   a fresh context for each device the store's namespaces need.
     * @return the open store.
     */
    public static ScheduledStore open(
        final Path dir, final StoreOptions options, final Priority priority, final SchedulerContext schedulerContext,
        final Supplier<DeviceContext> deviceContexts)
    {
        return open(dir, options, priority, schedulerContext, deviceContexts, DEFAULT_BACKENDS);
    }

    /**
     * Opens the store with chosen scheduler and device settings (the {@code conduit} command's
     * configuration) and a chosen backend on each physical device.
     *
     * @param dir              the data directory.
     * @param options          store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority         class of the store's requests.
     * @param schedulerContext settings of the new scheduler.
     * @param deviceContexts   a fresh context for each device the store's namespaces need.
     * @param backends         picks each device's backend.
     * @return the open store.
     */
    public static ScheduledStore open(
        final Path dir, final StoreOptions options, final Priority priority, final SchedulerContext schedulerContext,
        final Supplier<DeviceContext> deviceContexts, final BackendFactory backends)
    {
        final IoScheduler scheduler = IoScheduler.launch(schedulerContext);
        final List<ScheduledNamespace> namespaces = new ArrayList<>();
        try
        {
            final UnaryOperator<Namespace> wrapper = wrapper(scheduler, priority, deviceContexts, backends);
            final ObjectStore store = DataDirectory.open(dir, options.withNamespaceWrapper(namespace ->
            {
                final ScheduledNamespace scheduled = (ScheduledNamespace)wrapper.apply(namespace);
                namespaces.add(scheduled);
                return new ClosedByOwner(scheduled);
            }));
            return new ScheduledStore(scheduler, store, namespaces, priority);
        }
        catch (final RuntimeException e)
        {
            closeInOrder(e, null, scheduler, namespaces);
            throw e;
        }
    }

    /**
     * The namespace wrapper that puts each namespace on its own device of {@code scheduler}.
     *
     * @param scheduler carries the I/O.
     * @param priority  class of every request.
     * @return a wrapper for {@link StoreOptions#withNamespaceWrapper}.
     */
    public static UnaryOperator<Namespace> wrapper(final IoScheduler scheduler, final Priority priority)
    {
        return wrapper(scheduler, priority, new DeviceContext().queueDepth());
    }

    /**
     * The namespace wrapper with a chosen queue depth per namespace device.
     *
     * @param scheduler  carries the I/O.
     * @param priority   class of every request.
     * @param queueDepth tasks in flight per namespace.
     * @return a wrapper for {@link StoreOptions#withNamespaceWrapper}.
     */
    public static UnaryOperator<Namespace> wrapper(final IoScheduler scheduler, final Priority priority, final int queueDepth)
    {
        return wrapper(scheduler, priority, () -> new DeviceContext().queueDepth(queueDepth), DEFAULT_BACKENDS);
    }

    /**
     * The namespace wrapper: each namespace becomes a target of the device of its physical device
     * ({@link DeviceIdentity}), so namespaces on one disk or file system share one queue depth.
     *
     * @param scheduler      carries the I/O.
     * @param priority       class of every request.
     * @param deviceContexts a fresh context for each device added.
     * @param backends       picks the backend of each device added.
     * @return a wrapper for {@link StoreOptions#withNamespaceWrapper}.
     */
    public static UnaryOperator<Namespace> wrapper(
        final IoScheduler scheduler, final Priority priority, final Supplier<DeviceContext> deviceContexts,
        final BackendFactory backends)
    {
        return namespace ->
        {
            final NamespaceTarget target = new NamespaceTarget(namespace);
            final IoDevice device = scheduler.deviceFor(DeviceIdentity.of(target), deviceContexts.get(),
                (name, queueDepth) -> backends.create(name, queueDepth, target));
            return new ScheduledNamespace(namespace, device, priority);
        };
    }

    /** @return the store. */
    public ObjectStore store()
    {
        return store;
    }

    /**
     * @return the store's namespaces as scheduler targets, indexed by namespace index (for
     *         {@link ObjectRangeReader}, which reads object ranges without going through the store).
     */
    public List<TargetHandle> targets()
    {
        return targets;
    }

    /**
     * @return the reader of object ranges on this store's namespaces (pinned, any byte range,
     *         optionally verified; see {@link ObjectRangeReader}).
     */
    public ObjectRangeReader reader()
    {
        return reader;
    }

    /**
     * Reads a byte range of the current version of {@code key}: the version is pinned for the
     * duration of the read, so a concurrent replace or delete never hands back another version's
     * bytes. Convenience form: looks the key up and allocates a request and a future; for
     * allocation-free reads keep a {@link RangeRequest} and an open handle and use {@link #reader()}.
     *
     * <pre>{@code
     * final long n = scheduled.read("model.bin", 1_000_003, heapOrNative, 0, 65_536, true).join();
     * }</pre>
     *
     * @param key              the object.
     * @param offsetBytes      start within the object, any byte.
     * @param dst              destination, heap or native.
     * @param dstOffsetBytes   where in {@code dst} the first byte goes.
     * @param lengthBytes      bytes to read.
     * @param verify           check the CRC-32C of every chunk the range touches.
     * @return a future completing with {@code lengthBytes}, or exceptionally (a {@code CorruptExtentException}
     *         on a checksum mismatch, an errno-named {@code NativeException} on an I/O failure).
     * @throws dev.conduit.core.ConduitException {@code NOT_FOUND}.
     */
    public CompletableFuture<Long> read(
        final String key, final long offsetBytes, final MemorySegment dst, final long dstOffsetBytes, final long lengthBytes,
        final boolean verify)
    {
        final RangeRequest request = new RangeRequest();
        try (ObjectReadHandle version = store.openObject(key))
        {
            request.object(version).range(offsetBytes, lengthBytes).into(dst, dstOffsetBytes).verify(verify).priority(priority);
            return reader.read(request);
        }
    }

    /** @return the scheduler carrying the store's I/O (metrics per device). */
    public IoScheduler scheduler()
    {
        return scheduler;
    }

    /** Closes the store, then the scheduler (waiting for all I/O), then the namespaces; see the class comment. */
    @Override
    public void close()
    {
        final RuntimeException failure = closeInOrder(null, store, scheduler, namespaces);
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * Closes each resource in order, even after a failure.
     *
     * @return {@code primary}, or the first failure, with later failures suppressed into it.
     */
    private static RuntimeException closeInOrder(
        final RuntimeException primary, final ObjectStore store, final IoScheduler scheduler,
        final List<ScheduledNamespace> namespaces)
    {
        final List<AutoCloseable> inOrder = new ArrayList<>();
        if (store != null)
        {
            inOrder.add(store);
        }
        inOrder.add(scheduler);
        inOrder.addAll(namespaces);
        return Closeables.closeAll(primary, inOrder);
    }

    /** The store's view of a namespace: everything but {@code close()}, which {@link ScheduledStore} does after the scheduler. */
    private static final class ClosedByOwner extends ForwardingNamespace
    {
        ClosedByOwner(final Namespace delegate)
        {
            super(delegate);
        }

        @Override
        public void writeAll(final MemorySegment[] sources, final long[] offsetsBytes, final int count)
        {
            // Passed whole, so the scheduler issues the writes together (the default would write them one by one).
            delegate.writeAll(sources, offsetsBytes, count);
        }

        @Override
        public void close()
        {
            // The namespace's fd must outlive every request on it: ScheduledStore.close() closes it last.
        }
    }
}
