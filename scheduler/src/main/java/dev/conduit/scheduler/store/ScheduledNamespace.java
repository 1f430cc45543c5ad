package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletionException;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.IoAlignment;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoFuture;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;

/**
 * A namespace whose reads and writes go through the I/O scheduler: each call becomes one request
 * on the namespace's device (split, queued behind the device's queue-depth cap and served by its
 * backend, io_uring where the host has it), and the calling thread waits for its completion. This is
 * how {@code ObjectStore}'s I/O reaches the scheduler without block-layout depending on it (see
 * {@code StoreOptions.namespaceWrapper}).
 *
 * <p>Alignment and range are checked here, before submission, with the same errors the namespace
 * itself gives. {@link #flush()} and {@link #close()} go straight to the namespace.
 *
 * <p>Threading: any number of threads may read and write at once; each waits only for its own
 * request. Blocking here is safe on virtual threads.
 */
public final class ScheduledNamespace extends ForwardingNamespace
{
    private final TargetHandle target;
    private final Priority priority;

    /**
     * @param namespace the namespace; this wrapper owns it from now on and closes it.
     * @param device    the device whose queue carries its I/O.
     * @param priority  class of every request (the store's reads are interactive GETs: LATENCY).
     */
    public ScheduledNamespace(final Namespace namespace, final IoDevice device, final Priority priority)
    {
        super(namespace);
        this.target = device.attach(new NamespaceTarget(namespace));
        this.priority = priority;
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        IoAlignment.check(this, dst, offsetBytes, "read");
        final IoRequest request = new IoRequest().read(target, offsetBytes, dst, 0, dst.byteSize()).priority(priority);
        return await(target.device().submit(request));
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        IoAlignment.check(this, src, offsetBytes, "write");
        final IoRequest request = new IoRequest().write(target, offsetBytes, src, 0, src.byteSize()).priority(priority);
        await(target.device().submit(request));
    }

    /** @return the scheduler handle of this namespace (for metrics and tests). */
    public TargetHandle target()
    {
        return target;
    }

    private static long await(final IoFuture future)
    {
        try
        {
            return future.join();
        }
        catch (final CompletionException e)
        {
            if (e.getCause() instanceof RuntimeException cause)
            {
                // Rethrow the scheduler's own error (errno-named NativeException, timeout, ...)
                // so callers see the same exception types as from a plain namespace.
                throw cause;
            }
            throw e;
        }
    }
}
