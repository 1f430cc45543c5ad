package dev.conduit.gdspath;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.nativebindings.cuda.CudaIpcHandle;
import dev.conduit.nativebindings.cuda.DevicePointer;
import dev.conduit.nativebindings.dlpack.DlDataType;
import dev.conduit.nativebindings.dlpack.DlManagedTensors;

/**
 * Memory a read lands in (or a write comes from), lent by a {@link DeviceBufferPool}: host memory
 * ({@link MemoryKind#HOST}, device ordinal {@code -1}, a {@link #segment()}) or GPU memory from
 * {@code cuMemAlloc} ({@link MemoryKind#DEVICE}, a CUDA ordinal, a {@link #devicePointer()} and no
 * host segment: the host cannot dereference it).
 *
 * <pre>{@code
 * try (DeviceBuffer buffer = pool.acquire())          // blocks while every buffer is lent
 * {
 *     path.read("shard-0001.tar", 0, 4096, buffer, 0).join();
 * }                                                   // back to the pool
 * }</pre>
 *
 * <p>Handing a buffer to a framework: {@link #exportDlPack} lends it to the consumer until the
 * tensor's deleter runs (which returns it to the pool); {@link #exportIpc} (buffers of an
 * {@link DeviceBufferPool#ipc IPC pool} only) names it for another process.
 *
 * <p>Threading: lent to one holder at a time; {@link #close()} may be called from any thread, once.
 */
public final class DeviceBuffer implements AutoCloseable
{
    private final DeviceBufferPool owner;
    private final MemorySegment segment;
    private final DeviceSlab slab;
    private final long slabOffsetBytes;
    private final long sizeBytes;
    private final int index;
    private final AtomicBoolean lent = new AtomicBoolean();

    DeviceBuffer(final DeviceBufferPool owner, final MemorySegment segment, final int index)
    {
        this.owner = owner;
        this.segment = segment;
        this.slab = null;
        this.slabOffsetBytes = 0;
        this.sizeBytes = segment.byteSize();
        this.index = index;
    }

    DeviceBuffer(final DeviceBufferPool owner, final DeviceSlab slab, final long slabOffsetBytes, final long sizeBytes, final int index)
    {
        this.owner = owner;
        this.segment = null;
        this.slab = slab;
        this.slabOffsetBytes = slabOffsetBytes;
        this.sizeBytes = sizeBytes;
        this.index = index;
    }

    /** @return {@link MemoryKind#HOST} or {@link MemoryKind#DEVICE}. */
    public MemoryKind kind()
    {
        return segment != null ? MemoryKind.HOST : MemoryKind.DEVICE;
    }

    /** @return the CUDA device ordinal, or {@code -1} for host memory. */
    public int deviceOrdinal()
    {
        return owner.deviceOrdinal();
    }

    /** @return usable bytes (the pool's buffer size rounded up to a page). */
    public long sizeBytes()
    {
        return sizeBytes;
    }

    /** @return the pool this buffer returns to. */
    public DeviceBufferPool owner()
    {
        return owner;
    }

    /** @return this buffer's slot in its pool, stable for its life. */
    public int index()
    {
        return index;
    }

    /**
     * @return the host memory, page aligned.
     * @throws ConduitException {@link ErrorCode#MEMORY_KIND_UNSUPPORTED} for device memory, and
     *                          {@link ErrorCode#MEMORY_CLOSED} once the buffer went back to its pool.
     */
    public MemorySegment segment()
    {
        if (segment == null)
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED, "a device buffer has no host segment");
        }
        ensureLent();
        return segment;
    }

    /**
     * @return the device address of the first byte.
     * @throws ConduitException {@link ErrorCode#MEMORY_KIND_UNSUPPORTED} for host memory, and
     *                          {@link ErrorCode#MEMORY_CLOSED} once the buffer went back to its pool.
     */
    public DevicePointer devicePointer()
    {
        if (slab == null)
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED, "a host buffer has no device pointer");
        }
        ensureLent();
        return slab.base().plus(slabOffsetBytes);
    }

    /**
     * Lends this buffer to a framework as a DLPack tensor: a row-major view of {@code shape} elements
     * of {@code dtype} starting {@code offsetBytes} into the buffer. The buffer stays lent until the
     * consumer calls the tensor's deleter, which returns it to the pool; the caller must not close it.
     *
     * @param offsetBytes first byte of the view (a multiple of the element size).
     * @param shape       extent of each dimension.
     * @param dtype       element type.
     * @return the {@code DLManagedTensor} (its address goes into a PyCapsule named "dltensor").
     * @throws ConduitException {@link ErrorCode#TENSOR_SHAPE_INVALID} when the view does not fit.
     */
    public MemorySegment exportDlPack(final long offsetBytes, final long[] shape, final DlDataType dtype)
    {
        return exportDlPack(offsetBytes, shape, dtype, this::close);
    }

    /**
     * As {@link #exportDlPack(long, long[], DlDataType)}, for a holder that lent the buffer on: the tensor's
     * deleter runs {@code onDeleted} (which must give the buffer back, as a loader's batch does when it
     * closes) instead of returning it to the pool directly.
     *
     * @param offsetBytes first byte of the view (a multiple of the element size).
     * @param shape       extent of each dimension.
     * @param dtype       element type.
     * @param onDeleted   what the deleter runs, once.
     * @return the {@code DLManagedTensor}.
     * @throws ConduitException {@link ErrorCode#TENSOR_SHAPE_INVALID} when the view does not fit.
     */
    public MemorySegment exportDlPack(final long offsetBytes, final long[] shape, final DlDataType dtype, final Runnable onDeleted)
    {
        ensureLent();
        long elements = 1;
        for (final long dim : shape)
        {
            if (dim < 0)
            {
                throw new ConduitException(ErrorCode.TENSOR_SHAPE_INVALID, "negative dimension in a tensor shape: " + dim);
            }
            elements = Math.multiplyExact(elements, dim);
        }
        final long bytes = Math.multiplyExact(elements, dtype.elementBytes());
        if (offsetBytes < 0 || offsetBytes % dtype.elementBytes() != 0 || offsetBytes > sizeBytes - bytes)
        {
            throw new ConduitException(ErrorCode.TENSOR_SHAPE_INVALID, "a tensor of " + bytes + " bytes at offset "
                + offsetBytes + " does not fit " + this + " (or the offset is not a multiple of the element size)");
        }
        final boolean device = slab != null;
        final long base = device ? devicePointer().address() : segment.address();
        return DlManagedTensors.export(base, device ? DlManagedTensors.DEVICE_CUDA : DlManagedTensors.DEVICE_CPU,
            device ? deviceOrdinal() : 0, offsetBytes, shape, dtype, onDeleted);
    }

    /**
     * @return a CUDA IPC handle for this buffer's allocation (its base; the buffer is the whole allocation).
     * @throws ConduitException {@link ErrorCode#MEMORY_KIND_UNSUPPORTED} unless the pool was made by
     *                          {@link DeviceBufferPool#ipc}.
     */
    public CudaIpcHandle exportIpc()
    {
        ensureLent();
        return owner.exportIpc(this);
    }

    /** @return whether a holder has it now. */
    public boolean isLent()
    {
        return lent.get();
    }

    /** Gives the buffer back to its pool; a second call does nothing. */
    @Override
    public void close()
    {
        if (lent.compareAndSet(true, false))
        {
            owner.onReturned(this);
        }
    }

    DeviceSlab slab()
    {
        return slab;
    }

    long slabOffsetBytes()
    {
        return slabOffsetBytes;
    }

    void onLent()
    {
        if (!lent.compareAndSet(false, true))
        {
            throw new IllegalStateException("buffer " + index + " lent twice");
        }
    }

    private void ensureLent()
    {
        if (!lent.get())
        {
            throw new ConduitException(ErrorCode.MEMORY_CLOSED, "buffer " + index + " is back in its pool");
        }
    }

    @Override
    public String toString()
    {
        return "DeviceBuffer[" + index + ", " + kind() + ", " + sizeBytes + " bytes]";
    }
}
