package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.Closeables;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.cuda.CudaIpcHandle;
import dev.conduit.nativebindings.cuda.DeviceMemory;

/**
 * A bounded set of equal, page-aligned {@link DeviceBuffer}s, cut from a few large slabs so that a
 * later registration (cuFile, io_uring fixed buffers) covers a handful of regions, not one per buffer.
 * Memory never grows: a holder that keeps every buffer makes {@link #acquire()} wait.
 *
 * <pre>{@code
 * try (DeviceBufferPool pool = DeviceBufferPool.host(8 << 20, 4))
 * {
 *     final DeviceBuffer a = pool.acquire();     // blocks when all four are lent
 *     final DeviceBuffer b = pool.tryAcquire();  // null when none is free
 *     a.close();                                 // back to the pool
 * }                                              // fails while a buffer is still lent
 * }</pre>
 *
 * <p>Three kinds: {@link #host} (host memory from a shared arena), {@link #device} (GPU memory:
 * a few {@code cuMemAlloc} slabs, each a {@link DeviceSlab} the GDS engine registers once) and
 * {@link #ipc} (GPU memory, one allocation per buffer, so each buffer can be exported by its base
 * with {@code cuIpcGetMemHandle} and recycled once the importer is done with it).
 *
 * <p>Resources: owns the slabs (an arena, or device allocations), freed by {@link #close()}, which
 * refuses while any buffer is lent so memory a read may still be writing is never freed. Close the
 * data paths that registered the slabs first.
 *
 * <p>Threading: acquire and release from any thread.
 */
public final class DeviceBufferPool implements AutoCloseable
{
    /** Alignment and size granule of every buffer (O_DIRECT, cuFile). */
    public static final long PAGE_BYTES = 4096;
    /** Default slab size: buffers up to this are packed into slabs of this size. */
    public static final long SLAB_BYTES_DEFAULT = 64L << 20;

    private final Arena arena;
    private final GpuRuntime gpu;
    private final boolean ipc;
    private final List<DeviceMemory> allocations = new ArrayList<>();
    private final List<DeviceSlab> slabs = new ArrayList<>();
    private final List<MemorySegment> hostSlabs = new ArrayList<>();
    private final List<DeviceBuffer> buffers;
    private final ArrayBlockingQueue<DeviceBuffer> free;
    private final long bufferBytes;
    private final int slabCount;
    private volatile boolean closed;

    private DeviceBufferPool(final GpuRuntime gpu, final boolean ipc, final long bufferBytes, final int count, final long slabBytes)
    {
        if (bufferBytes <= 0 || count <= 0 || slabBytes <= 0)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "bufferBytes, count and slabBytes must be > 0: " + bufferBytes + ", " + count + ", " + slabBytes);
        }
        this.gpu = gpu;
        this.ipc = ipc;
        this.arena = gpu == null ? Arena.ofShared() : null;
        this.bufferBytes = roundUpToPage(bufferBytes);
        final int perSlab = ipc ? 1 : (int)Math.max(1, Math.min(count, slabBytes / this.bufferBytes));
        this.buffers = new ArrayList<>(count);
        this.free = new ArrayBlockingQueue<>(count);
        if (gpu != null)
        {
            gpu.makeCurrent();
        }
        try
        {
            int slabIndex = 0;
            MemorySegment hostSlab = null;
            DeviceSlab deviceSlab = null;
            for (int i = 0; i < count; i++)
            {
                final int inSlab = i % perSlab;
                if (inSlab == 0)
                {
                    final long slabSize = this.bufferBytes * Math.min(perSlab, count - i);
                    if (gpu == null)
                    {
                        hostSlab = arena.allocate(slabSize, PAGE_BYTES);
                        hostSlabs.add(hostSlab);
                    }
                    else
                    {
                        final DeviceMemory memory = gpu.context().allocate(slabSize);
                        allocations.add(memory);
                        deviceSlab = new DeviceSlab(slabIndex, memory.pointer(), slabSize);
                        slabs.add(deviceSlab);
                    }
                    slabIndex++;
                }
                final DeviceBuffer buffer = gpu == null
                    ? new DeviceBuffer(this, hostSlab.asSlice(inSlab * this.bufferBytes, this.bufferBytes), i)
                    : new DeviceBuffer(this, deviceSlab, inSlab * this.bufferBytes, this.bufferBytes, i);
                buffers.add(buffer);
                free.add(buffer);
            }
            this.slabCount = slabIndex;
        }
        catch (final RuntimeException e)
        {
            freeMemory();
            throw e;
        }
    }

    /**
     * @param bufferBytes size of each buffer, rounded up to {@link #PAGE_BYTES}.
     * @param count       how many buffers; the pool never holds more.
     * @return a pool of host buffers.
     */
    public static DeviceBufferPool host(final long bufferBytes, final int count)
    {
        return host(bufferBytes, count, SLAB_BYTES_DEFAULT);
    }

    /**
     * @param bufferBytes size of each buffer, rounded up to {@link #PAGE_BYTES}.
     * @param count       how many buffers.
     * @param slabBytes   largest slab; buffers larger than this get a slab each.
     * @return a pool of host buffers.
     */
    public static DeviceBufferPool host(final long bufferBytes, final int count, final long slabBytes)
    {
        return new DeviceBufferPool(null, false, bufferBytes, count, slabBytes);
    }

    /**
     * @param gpu         the device (its context is made current on the calling thread).
     * @param bufferBytes size of each buffer, rounded up to {@link #PAGE_BYTES}.
     * @param count       how many buffers.
     * @return a pool of GPU buffers cut from {@link #SLAB_BYTES_DEFAULT} slabs.
     */
    public static DeviceBufferPool device(final GpuRuntime gpu, final long bufferBytes, final int count)
    {
        return device(gpu, bufferBytes, count, SLAB_BYTES_DEFAULT);
    }

    /**
     * @param gpu         the device.
     * @param bufferBytes size of each buffer, rounded up to {@link #PAGE_BYTES}.
     * @param count       how many buffers.
     * @param slabBytes   largest slab ({@code cuMemAlloc}, and one {@code cuFileBufRegister} later).
     * @return a pool of GPU buffers.
     */
    public static DeviceBufferPool device(final GpuRuntime gpu, final long bufferBytes, final int count, final long slabBytes)
    {
        return new DeviceBufferPool(Objects.requireNonNull(gpu, "gpu"), false, bufferBytes, count, slabBytes);
    }

    /**
     * A pool for CUDA IPC export: each buffer is its own {@code cuMemAlloc} allocation, because an
     * IPC handle names a whole allocation (export base pointers only); buffers are recycled, so an
     * importer that keeps its mapping open sees later contents (see docs/IPC.md).
     *
     * @param gpu         the device.
     * @param bufferBytes size of each buffer.
     * @param count       how many buffers.
     * @return the pool.
     */
    public static DeviceBufferPool ipc(final GpuRuntime gpu, final long bufferBytes, final int count)
    {
        return new DeviceBufferPool(Objects.requireNonNull(gpu, "gpu"), true, bufferBytes, count, bufferBytes);
    }
    /**
     * @return a buffer, waiting while all are lent.
     * @throws ConduitException {@link ErrorCode#INTERRUPTED}, or {@link ErrorCode#SHUTDOWN} once closed.
     */
    public DeviceBuffer acquire()
    {
        while (true)
        {
            final DeviceBuffer buffer = acquire(100, TimeUnit.MILLISECONDS);
            if (buffer != null)
            {
                return buffer;
            }
        }
    }

    /**
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return a buffer, or {@code null} when none came free in time.
     */
    public DeviceBuffer acquire(final long timeout, final TimeUnit unit)
    {
        ensureOpen();
        try
        {
            return lend(free.poll(timeout, unit));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted waiting for a buffer", e);
        }
    }

    /** @return a free buffer, or {@code null} when all are lent. */
    public DeviceBuffer tryAcquire()
    {
        ensureOpen();
        return lend(free.poll());
    }

    /** @return buffers not lent now. */
    public int available()
    {
        return free.size();
    }

    /** @return buffers in the pool. */
    public int capacity()
    {
        return buffers.size();
    }

    /** @return bytes per buffer (page multiple). */
    public long bufferBytes()
    {
        return bufferBytes;
    }

    /** @return slabs allocated (the regions a registration would cover). */
    public int slabCount()
    {
        return slabCount;
    }

    /** @return the host slabs, in order (empty for a GPU pool): the regions a host-side registration covers. */
    List<MemorySegment> hostSlabs()
    {
        return List.copyOf(hostSlabs);
    }

    /** @return the device slabs, in order (empty for a host pool). */
    public List<DeviceSlab> slabs()
    {
        return List.copyOf(slabs);
    }

    /** @return the CUDA ordinal of the buffers, or {@code -1} for a host pool. */
    public int deviceOrdinal()
    {
        return gpu == null ? -1 : gpu.deviceOrdinal();
    }

    /**
     * Frees the slabs.
     *
     * @throws IllegalStateException while a buffer is lent (its memory may be the target of a read).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        final int lent = buffers.size() - free.size();
        if (lent != 0)
        {
            throw new IllegalStateException(lent + " buffers still lent; return them before closing the pool");
        }
        closed = true;
        freeMemory();
    }

    CudaIpcHandle exportIpc(final DeviceBuffer buffer)
    {
        if (!ipc)
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED,
                "only buffers of an IPC pool (DeviceBufferPool.ipc) can be exported: " + buffer + " shares its allocation");
        }
        gpu.makeCurrent();
        return allocations.get(buffer.slab().index()).exportIpc();
    }

    private void freeMemory()
    {
        if (arena != null)
        {
            arena.close();
            return;
        }
        gpu.makeCurrent();
        final RuntimeException failure = Closeables.closeAll(null, allocations);
        if (failure != null)
        {
            throw failure;
        }
    }

    void onReturned(final DeviceBuffer buffer)
    {
        if (!free.offer(buffer))
        {
            throw new IllegalStateException("pool over-full returning " + buffer);
        }
    }

    private DeviceBuffer lend(final DeviceBuffer buffer)
    {
        if (buffer != null)
        {
            buffer.onLent();
        }
        return buffer;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new ConduitException(ErrorCode.SHUTDOWN, "buffer pool closed");
        }
    }

    private static long roundUpToPage(final long bytes)
    {
        return (bytes + PAGE_BYTES - 1) & -PAGE_BYTES;
    }
}
