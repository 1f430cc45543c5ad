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
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
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
 * <p>Resources: owns the scheduler (and so its device threads and rings) and the store; closing
 * closes the store first, so its last writes drain through the scheduler, then the scheduler.
 */
public final class ScheduledStore implements AutoCloseable
{
    private final IoScheduler scheduler;
    private final ObjectStore store;
    private final List<TargetHandle> targets;
    private final ObjectRangeReader reader;
    private final Priority priority;

    private ScheduledStore(final IoScheduler scheduler, final ObjectStore store, final List<TargetHandle> targets, final Priority priority)
    {
        this.scheduler = scheduler;
        this.store = store;
        this.targets = List.copyOf(targets);
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
        return open(dir, options, priority, new IoScheduler.Context(), () -> new DeviceContext().queueDepth(queueDepth));
    }

    /**
     * Opens the store with chosen scheduler and device settings (the {@code conduit} command's configuration).
     *
     * @param dir              the data directory.
     * @param options          store options; the namespace wrapper is replaced by the scheduler's.
     * @param priority         class of the store's requests.
     * @param schedulerContext settings of the new scheduler.
     * @param deviceContexts   a fresh context for each namespace's device.
     * @return the open store.
     */
    public static ScheduledStore open(
        final Path dir, final StoreOptions options, final Priority priority, final IoScheduler.Context schedulerContext,
        final Supplier<DeviceContext> deviceContexts)
    {
        final IoScheduler scheduler = IoScheduler.launch(schedulerContext);
        try
        {
            final List<TargetHandle> targets = new ArrayList<>();
            final UnaryOperator<Namespace> wrapper = wrapper(scheduler, priority, deviceContexts);
            final ObjectStore store = DataDirectory.open(dir, options.withNamespaceWrapper(namespace ->
            {
                // DataDirectory wraps the namespaces in index order, so targets.get(i) is namespace i.
                final Namespace wrapped = wrapper.apply(namespace);
                targets.add(((ScheduledNamespace)wrapped).target());
                return wrapped;
            }));
            return new ScheduledStore(scheduler, store, targets, priority);
        }
        catch (final RuntimeException e)
        {
            scheduler.close();
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
        return wrapper(scheduler, priority, () -> new DeviceContext().queueDepth(queueDepth));
    }

    /**
     * The namespace wrapper with chosen settings for each namespace device.
     *
     * @param scheduler      carries the I/O.
     * @param priority       class of every request.
     * @param deviceContexts a fresh context for each namespace's device.
     * @return a wrapper for {@link StoreOptions#withNamespaceWrapper}.
     */
    public static UnaryOperator<Namespace> wrapper(
        final IoScheduler scheduler, final Priority priority, final Supplier<DeviceContext> deviceContexts)
    {
        return namespace ->
        {
            final DeviceContext context = deviceContexts.get();
            final NamespaceTarget probe = new NamespaceTarget(namespace);
            final String name = "ns" + scheduler.devices().size();
            final Backend backend = probe.fd() >= 0
                ? Backends.createDefault(name, context.queueDepth())
                : new PreadBackend(name + "-pread", context.queueDepth());
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

    @Override
    public void close()
    {
        try
        {
            store.close();
        }
        finally
        {
            scheduler.close();
        }
    }
}
