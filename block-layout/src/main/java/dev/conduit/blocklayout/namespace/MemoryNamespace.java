package dev.conduit.blocklayout.namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A namespace in native RAM, for tests and benchmarks. It follows the same alignment contract as
 * the O_DIRECT namespaces so code that passes here does not fail with EINVAL on a real device.
 * Writes are durable as soon as they return ({@link #flush()} is a fence only); tests that need a
 * volatile write cache wrap it.
 *
 * <p>Owns one shared {@link Arena}, closed by {@link #close()}.
 */
public final class MemoryNamespace implements Namespace
{
    private final String id;
    private final int blockSize;
    private final Arena arena;
    private final MemorySegment memory;
    private volatile boolean closed;

    private MemoryNamespace(final String label, final int blockSize, final long capacityBytes)
    {
        if (blockSize <= 0 || Integer.bitCount(blockSize) != 1 || blockSize > 4096)
        {
            throw new IllegalArgumentException("blockSize must be a power of two up to 4096: " + blockSize);
        }
        if (capacityBytes <= 0 || capacityBytes % blockSize != 0)
        {
            throw new IllegalArgumentException("capacityBytes must be a positive multiple of " + blockSize + ": " + capacityBytes);
        }
        this.id = "mem:" + label;
        this.blockSize = blockSize;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(capacityBytes, 4096);
    }

    /**
     * @param label         name used in {@link #id()}.
     * @param capacityBytes size, a multiple of 4096.
     * @return a zeroed namespace with 4096-byte blocks.
     */
    public static MemoryNamespace allocate(final String label, final long capacityBytes)
    {
        return new MemoryNamespace(label, 4096, capacityBytes);
    }

    /**
     * @param label         name used in {@link #id()}.
     * @param blockSize     block size (512 to model 512e devices).
     * @param capacityBytes size, a multiple of {@code blockSize}.
     * @return a zeroed namespace.
     */
    public static MemoryNamespace allocate(final String label, final int blockSize, final long capacityBytes)
    {
        return new MemoryNamespace(label, blockSize, capacityBytes);
    }

    /**
     * @param label name of the copy.
     * @return an independent namespace holding the same bytes (a point-in-time image).
     */
    public MemoryNamespace copy(final String label)
    {
        final MemoryNamespace copy = new MemoryNamespace(label, blockSize, memory.byteSize());
        copy.memory.copyFrom(memory);
        return copy;
    }

    /**
     * A direct view of the bytes, for tests that corrupt data on purpose and for tools that load or
     * dump images. Writes through it bypass the alignment contract.
     *
     * @return the backing memory, valid until {@link #close()}.
     */
    public MemorySegment contents()
    {
        return memory;
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public int blockSize()
    {
        return blockSize;
    }

    @Override
    public long capacityBytes()
    {
        return memory.byteSize();
    }

    @Override
    public long read(final MemorySegment dst, final long offsetBytes)
    {
        ensureOpen();
        IoAlignment.check(this, dst, offsetBytes, "read");
        MemorySegment.copy(memory, offsetBytes, dst, 0, dst.byteSize());
        return dst.byteSize();
    }

    @Override
    public void write(final MemorySegment src, final long offsetBytes)
    {
        ensureOpen();
        IoAlignment.check(this, src, offsetBytes, "write");
        MemorySegment.copy(src, 0, memory, offsetBytes, src.byteSize());
    }

    @Override
    public void flush()
    {
        ensureOpen();
        java.lang.invoke.VarHandle.fullFence();
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            arena.close();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw IoAlignment.closed(this);
        }
    }
}
