package dev.conduit.spdk;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.conduit.blocklayout.namespace.IoAlignment;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkEnvironment;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;

/**
 * A namespace reached through SPDK's user-space NVMe driver (NVMe/TCP, RDMA, or PCIe behind vfio):
 * one controller, and per queue pair one scheduler device whose thread polls it
 * ({@link SpdkBackend}). Reads and writes go through the scheduler and block until they complete;
 * {@link #flush()} issues an NVMe Flush on every queue pair.
 *
 * <pre>{@code
 * try (Namespace ns = SpdkNamespace.open(SpdkNamespaceSpec.parse("spdk://trtype:TCP,traddr:127.0.0.1,trsvcid:4420,subnqn:nqn...,ns:1")))
 * {
 *     ns.write(block, 0);
 *     ns.flush();
 * }
 * }</pre>
 *
 * <p>Threading: concurrent positional I/O is safe; a thread's requests go to one queue pair
 * (threads are spread over them by id). Close after the last transfer returned.
 */
public final class SpdkNamespace implements Namespace
{
    private final String id;
    private final SpdkController controller;
    private final SpdkNamespaceInfo info;
    private final IoScheduler scheduler;
    private final List<TargetHandle> handles = new ArrayList<>();
    private final List<SpdkBackend> backends = new ArrayList<>();
    private volatile boolean closed;

    private SpdkNamespace(final String id, final SpdkController controller, final SpdkNamespaceInfo info, final int queuePairs,
        final int depth)
    {
        this.id = id;
        this.controller = controller;
        this.info = info;
        this.scheduler = IoScheduler.launch(new SchedulerContext().threadNamePrefix("spdk-"));
        final SpdkTarget target = new SpdkTarget(controller, info);
        for (int q = 0; q < queuePairs; q++)
        {
            final SpdkBackend backend = new SpdkBackend(controller, info, depth);
            backends.add(backend);
            handles.add(scheduler.addDevice("spdk-qp" + q, backend, new DeviceContext().queueDepth(depth)).attach(target));
        }
    }

    /**
     * Loads SPDK, initialises its environment (once per process), connects and starts the queue pairs.
     *
     * @param spec what to open.
     * @return the open namespace.
     * @throws ConduitException {@code NOT_SUPPORTED} when SPDK is not installed, {@code NOT_FOUND}
     *                          when no controller or namespace answers, {@code UNSUPPORTED_VERSION}
     *                          for a block size above 4096.
     */
    public static SpdkNamespace open(final SpdkNamespaceSpec spec)
    {
        final SpdkLibrary library = SpdkLibrary.load().orElseThrow(() -> new ConduitException(ErrorCode.NOT_SUPPORTED,
            "SPDK is not installed: none of " + SpdkLibrary.candidates() + " loads (set lib.spdk / " + SpdkLibrary.OVERRIDE_ENV
                + " to an SPDK build's libspdk_nvme.so)"));
        final SpdkEnvironment env = SpdkEnvironment.initialise(library, spec.environment());
        final SpdkController controller = SpdkController.connect(env, spec.transportId());
        try
        {
            final SpdkNamespaceInfo info = controller.namespace(spec.nsid());
            if (Integer.bitCount(info.sectorBytes()) != 1 || info.sectorBytes() > 4096)
            {
                throw new ConduitException(ErrorCode.NOT_SUPPORTED,
                    "namespace " + spec.nsid() + " of " + spec.transportId() + " has " + info.sectorBytes() + "-byte blocks; a store needs at most 4096");
            }
            return new SpdkNamespace(SpdkNamespaceSpec.SCHEME + "://" + spec.transportId().replace(' ', ',') + ",ns:" + spec.nsid(),
                controller, info, spec.queuePairs(), spec.depth());
        }
        catch (final RuntimeException e)
        {
            controller.close();
            throw e;
        }
    }

    /** @return the controller. */
    public SpdkController controller()
    {
        return controller;
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public int blockSize()
    {
        return info.sectorBytes();
    }

    @Override
    public long capacityBytes()
    {
        return info.capacityBytes();
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        check(dst, offsetBytes, "read");
        return await(scheduler.read(handle(), offsetBytes, dst, Priority.LATENCY));
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        check(src, offsetBytes, "write");
        await(scheduler.write(handle(), offsetBytes, src, Priority.LATENCY));
    }

    @Override
    public void flush()
    {
        if (closed)
        {
            throw IoAlignment.closed(this);
        }
        final List<CompletableFuture<Void>> flushes = new ArrayList<>();
        for (final SpdkBackend backend : backends)
        {
            flushes.add(backend.requestFlush());
        }
        await(CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)));
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            scheduler.close();
        }
        finally
        {
            controller.close();
        }
    }

    private void check(final MemorySegment segment, final long offsetBytes, final String operation)
    {
        if (closed)
        {
            throw IoAlignment.closed(this);
        }
        IoAlignment.check(this, segment, offsetBytes, operation);
    }

    private TargetHandle handle()
    {
        return handles.get((int) (Thread.currentThread().threadId() % handles.size()));
    }

    private static <T> T await(final CompletionStage<T> stage)
    {
        try
        {
            return stage.toCompletableFuture().join();
        }
        catch (final CompletionException e)
        {
            if (e.getCause() instanceof RuntimeException r)
            {
                throw r;
            }
            throw e;
        }
    }
}
