package dev.conduit.nativebindings.spdk;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * DMA-safe memory from {@code spdk_dma_zmalloc}: what a PCIe controller can reach without
 * registration, and what queue pairs of any transport accept. Freed once, by {@link #close()}.
 *
 * <p>Threading: the segment may be used from any thread; close once, after the last I/O on it completed.
 */
public final class SpdkDmaBuffer implements AutoCloseable
{
    private final SpdkLibrary library;
    private final MemorySegment segment;
    private boolean closed;

    private SpdkDmaBuffer(final SpdkLibrary library, final MemorySegment segment)
    {
        this.library = library;
        this.segment = segment;
    }

    /**
     * @param environment the initialised environment (the memory comes from it).
     * @param sizeBytes   size, at least 1.
     * @param alignBytes  alignment, a power of two.
     * @return zeroed memory.
     * @throws ConduitException {@code OUT_OF_MEMORY} when the environment has none left.
     */
    public static SpdkDmaBuffer allocate(final SpdkEnvironment environment, final long sizeBytes, final long alignBytes)
    {
        if (sizeBytes < 1 || Long.bitCount(alignBytes) != 1)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "DMA buffer of " + sizeBytes + " bytes aligned to " + alignBytes);
        }
        final SpdkLibrary library = environment.library();
        final MemorySegment p = library.dmaZmalloc(sizeBytes, alignBytes);
        if (p.equals(MemorySegment.NULL))
        {
            throw new ConduitException(ErrorCode.OUT_OF_MEMORY,
                "spdk_dma_zmalloc(" + sizeBytes + ") failed: the SPDK environment (" + environment.options() + ") has no memory left");
        }
        return new SpdkDmaBuffer(library, p.reinterpret(sizeBytes));
    }

    /** @return the memory. */
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            library.dmaFree(segment);
        }
    }
}
