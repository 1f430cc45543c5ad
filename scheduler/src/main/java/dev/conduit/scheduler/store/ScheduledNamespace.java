package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.IoAlignment;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoOp;
import dev.conduit.scheduler.IoStatus;
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
 * request (spinning briefly, then parked). Blocking here is safe on virtual threads.
 *
 * <p>Allocation: requests and their completions are pooled; a read or write allocates nothing in
 * steady state (messages are built only for failures).
 */
public final class ScheduledNamespace extends ForwardingNamespace
{
    private static final int POOL_CAPACITY = 256;

    private final TargetHandle target;
    private final Priority priority;
    private final ObjectPool<BlockingIo> pool = new ObjectPool<>(BlockingIo::new, POOL_CAPACITY);

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
        return transfer(IoOp.READ, dst, offsetBytes);
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        IoAlignment.check(this, src, offsetBytes, "write");
        transfer(IoOp.WRITE, src, offsetBytes);
    }

    /**
     * Submits every write before waiting for any, so a batch (a group commit's small puts and its
     * journal batch) costs the caller one wait and the device thread one wake-up, not one of each per
     * write. Every write has completed when this returns or throws (the first failure, by index).
     */
    @Override
    public void writeAll(final MemorySegment[] sources, final long[] offsetsBytes, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            IoAlignment.check(this, sources[i], offsetsBytes[i], "write");
        }
        final BlockingIo[] ios = new BlockingIo[count];
        RuntimeException failure = null;
        int submitted = 0;
        try
        {
            for (; submitted < count; submitted++)
            {
                final BlockingIo io = pool.take().arm();
                ios[submitted] = io;
                io.request.write(target, offsetsBytes[submitted], sources[submitted], 0, sources[submitted].byteSize());
                target.device().submit(io.request.priority(priority), io, 0);
            }
        }
        catch (final RuntimeException e)
        {
            // The one not submitted goes back unawaited; those before it are waited for below.
            pool.give(ios[submitted]);
            ios[submitted] = null;
            failure = e;
        }
        for (int i = 0; i < submitted; i++)
        {
            final long result = ios[i].await();
            pool.give(ios[i]);
            if (result < 0 && failure == null)
            {
                failure = IoStatus.toException(result, "write(" + target.target().name() + ", off=" + offsetsBytes[i] + ", len="
                    + sources[i].byteSize() + ")");
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /** @return the scheduler handle of this namespace (for metrics and tests). */
    public TargetHandle target()
    {
        return target;
    }

    private long transfer(final IoOp op, final MemorySegment buffer, final long offsetBytes)
    {
        final BlockingIo io = pool.take().arm();
        final long result;
        try
        {
            if (op == IoOp.READ)
            {
                io.request.read(target, offsetBytes, buffer, 0, buffer.byteSize());
            }
            else
            {
                io.request.write(target, offsetBytes, buffer, 0, buffer.byteSize());
            }
            target.device().submit(io.request.priority(priority), io, 0);
            result = io.await();
        }
        finally
        {
            pool.give(io);
        }
        if (result < 0)
        {
            // The scheduler's own error (errno-named NativeException, timeout, ...), so callers see
            // the same exception types as from a plain namespace; the message is built only here.
            throw IoStatus.toException(result, op.name().toLowerCase(java.util.Locale.ROOT) + "(" + target.target().name() +
                ", off=" + offsetBytes + ", len=" + buffer.byteSize() + ")");
        }
        return result;
    }
}
