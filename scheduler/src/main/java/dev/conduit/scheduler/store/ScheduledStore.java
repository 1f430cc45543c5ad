package dev.conduit.scheduler.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;

/**
 * An {@link ObjectStore} whose every namespace read and write goes through an {@link IoScheduler}:
 * one device per namespace (each with its own queue, queue-depth cap and backend thread), io_uring
 * for file and block-device namespaces where the host has it, the pread pool otherwise.
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

    /** io_uring for fd-backed namespaces where the host has it ({@link Backends#createDefault}), else the pread pool. */
    public static final BackendFactory DEFAULT_BACKENDS = (name, queueDepth, target) -> target.fd() >= 0
        ? Backends.createDefault(name, queueDepth)
        : new PreadBackend(name + "-pread", queueDepth);

    private final IoScheduler scheduler;
    private final ObjectStore store;
    private final List<ScheduledNamespace> namespaces;
    private final List<TargetHandle> targets;

    private ScheduledStore(final IoScheduler scheduler, final ObjectStore store, final List<ScheduledNamespace> namespaces)
    {
        this.scheduler = scheduler;
        this.store = store;
        this.namespaces = List.copyOf(namespaces);
        // DataDirectory wraps the namespaces in index order, so targets.get(i) is namespace i.
        this.targets = namespaces.stream().map(ScheduledNamespace::target).toList();
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
        return open(dir, options, priority, queueDepth, DEFAULT_BACKENDS);
    }

    /**
     * Opens the store with a chosen queue depth and backend on every namespace's device.
     *
     * @param dir        the data directory.
     * @param options    store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority   class of the store's requests.
     * @param queueDepth tasks in flight per namespace.
     * @param backends   picks each namespace's backend.
     * @return the open store.
     */
    public static ScheduledStore open(
        final Path dir, final StoreOptions options, final Priority priority, final int queueDepth,
        final BackendFactory backends)
    {
        final IoScheduler scheduler = IoScheduler.launch(new IoScheduler.Context());
        final List<ScheduledNamespace> namespaces = new ArrayList<>();
        try
        {
            final UnaryOperator<Namespace> wrapper = wrapper(scheduler, priority, queueDepth, backends);
            final ObjectStore store = DataDirectory.open(dir, options.withNamespaceWrapper(namespace ->
            {
                final ScheduledNamespace scheduled = (ScheduledNamespace)wrapper.apply(namespace);
                namespaces.add(scheduled);
                return new ClosedByOwner(scheduled);
            }));
            return new ScheduledStore(scheduler, store, namespaces);
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
        return wrapper(scheduler, priority, queueDepth, DEFAULT_BACKENDS);
    }

    private static UnaryOperator<Namespace> wrapper(
        final IoScheduler scheduler, final Priority priority, final int queueDepth, final BackendFactory backends)
    {
        return namespace ->
        {
            final DeviceContext context = new DeviceContext().queueDepth(queueDepth);
            final String name = "ns" + scheduler.devices().size();
            final Backend backend = backends.create(name, context.queueDepth(), new NamespaceTarget(namespace));
            final IoDevice device = scheduler.addDevice(name, backend, context);
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
        RuntimeException failure = primary;
        for (final AutoCloseable resource : inOrder)
        {
            try
            {
                resource.close();
            }
            catch (final Exception e)
            {
                if (failure == null)
                {
                    failure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
                else
                {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** The store's view of a namespace: everything but {@code close()}, which {@link ScheduledStore} does after the scheduler. */
    private static final class ClosedByOwner extends ForwardingNamespace
    {
        ClosedByOwner(final Namespace delegate)
        {
            super(delegate);
        }

        @Override
        public void close()
        {
            // The namespace's fd must outlive every request on it: ScheduledStore.close() closes it last.
        }
    }
}
