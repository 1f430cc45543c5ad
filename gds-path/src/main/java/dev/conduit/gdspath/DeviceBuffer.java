package dev.conduit.gdspath;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;

/**
 * Memory a read lands in (or a write comes from), lent by a {@link DeviceBufferPool}. Host buffers
 * today ({@link MemoryKind#HOST}, device ordinal {@code -1}); device buffers ({@code cuMemAlloc},
 * a CUDA device ordinal) arrive with the gds and bounce paths and have no host {@link #segment()}.
 *
 * <pre>{@code
 * try (DeviceBuffer buffer = pool.acquire())          // blocks while every buffer is lent
 * {
 *     path.read("shard-0001.tar", 0, 4096, buffer, 0).join();
 * }                                                   // back to the pool
 * }</pre>
 *
 * <p>Threading: lent to one holder at a time; {@link #close()} may be called from any thread, once.
 */
public final class DeviceBuffer implements AutoCloseable
{
    private final DeviceBufferPool owner;
    private final MemorySegment segment;
    private final int index;
    private final AtomicBoolean lent = new AtomicBoolean();

    DeviceBuffer(final DeviceBufferPool owner, final MemorySegment segment, final int index)
    {
        this.owner = owner;
        this.segment = segment;
        this.index = index;
    }

    /** @return where the bytes live; {@link MemoryKind#HOST} until device pools exist. */
    public MemoryKind kind()
    {
        return MemoryKind.HOST;
    }

    /** @return the CUDA device ordinal, or {@code -1} for host memory. */
    public int deviceOrdinal()
    {
        return -1;
    }

    /** @return usable bytes (the pool's buffer size rounded up to a page). */
    public long sizeBytes()
    {
        return segment.byteSize();
    }

    /** @return the pool this buffer returns to. */
    public DeviceBufferPool owner()
    {
        return owner;
    }

    /** @return this buffer's slot in its pool, stable for its life (a registration index later). */
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
        if (kind() != MemoryKind.HOST)
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED, "a device buffer has no host segment");
        }
        if (!lent.get())
        {
            throw new ConduitException(ErrorCode.MEMORY_CLOSED, "buffer " + index + " is back in its pool");
        }
        return segment;
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

    void onLent()
    {
        if (!lent.compareAndSet(false, true))
        {
            throw new IllegalStateException("buffer " + index + " lent twice");
        }
    }

    @Override
    public String toString()
    {
        return "DeviceBuffer[" + index + ", " + kind() + ", " + sizeBytes() + " bytes]";
    }
}
