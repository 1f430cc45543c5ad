package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.conduit.blocklayout.DirectPut;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.nativebindings.cuda.CudaLayouts;
import dev.conduit.nativebindings.cuda.HostRegistration;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * Checkpoint writes of the GPU paths: device memory → a pinned host staging buffer
 * ({@code cuMemcpyDtoH}, one staging-sized piece at a time) → the store's put session, which gives
 * the write the store's durability (CRC-32C per chunk, journal commit). Host buffers go to the put
 * session directly. For the GDS path's checkpoints ({@link #writeDirect}) the staging buffer carries
 * the host copy the checksums are computed on.
 *
 * <p>Resources: one pinned staging buffer, freed by {@link #close()}. Threading: writes are
 * serialised on the staging buffer; the writing thread makes the context current.
 */
final class CheckpointWriter implements AutoCloseable
{
    private final ScheduledStore store;
    private final GpuRuntime gpu;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment staging;
    private final HostRegistration pinned;

    CheckpointWriter(final ScheduledStore store, final GpuRuntime gpu, final long stagingBytes)
    {
        this.store = store;
        this.gpu = gpu;
        this.staging = arena.allocate(stagingBytes, DeviceBufferPool.PAGE_BYTES);
        gpu.makeCurrent();
        HostRegistration registration = null;
        try
        {
            registration = gpu.context().registerHost(staging, CudaLayouts.CU_MEMHOSTREGISTER_PORTABLE);
        }
        finally
        {
            if (registration == null)
            {
                arena.close();
            }
        }
        this.pinned = registration;
    }

    synchronized ObjectRecord write(final String key, final DeviceBuffer src, final long lengthBytes, final ObjectMetadata meta)
    {
        try (PutSession put = store.store().openPut(key, meta, lengthBytes))
        {
            if (src.kind() == MemoryKind.HOST)
            {
                put.append(src.segment().asSlice(0, lengthBytes));
                return put.commit();
            }
            gpu.makeCurrent();
            for (long done = 0; done < lengthBytes; )
            {
                final long n = Math.min(staging.byteSize(), lengthBytes - done);
                final MemorySegment piece = staging.asSlice(0, n);
                gpu.driver().copyToHost(src.devicePointer().plus(done), piece);
                put.append(piece);
                done += n;
            }
            return put.commit();
        }
    }

    /**
     * The host half of a GDS checkpoint, whose whole blocks {@code dma} (cuFile batch entries) writes
     * into {@code put}'s extents: the record's CRC-32Cs and MD5 come from a device-to-host copy of
     * {@code src}, one staging buffer at a time, computed while the DMA runs; with {@code shadow}
     * they come instead from the bytes read back from the extents after the DMA, each piece compared
     * with the device copy first, so the record describes what reached the media. The tail (under one
     * block) is written by the store from the host copy. Returns once committed; never before the
     * DMA completed, even when this fails.
     *
     * @param put    the direct put (its extents, checksums and commit).
     * @param src    the device buffer the DMA reads.
     * @param dma    completes when every batch entry was reported.
     * @param shadow read back and compare before hashing.
     * @return the committed record.
     * @throws ConduitException {@code GPU_IO_FAILED} when the DMA failed or the extents hold other
     *                          bytes than {@code src}; nothing is then published.
     */
    synchronized ObjectRecord writeDirect(
        final DirectPut put, final DeviceBuffer src, final CompletableFuture<Long> dma, final boolean shadow)
    {
        try (Arena readBack = Arena.ofConfined())
        {
            gpu.makeCurrent();
            final MemorySegment shadowCopy = shadow ? readBack.allocate(staging.byteSize(), DeviceBufferPool.PAGE_BYTES) : null;
            if (shadow)
            {
                awaitDma(dma, put);
            }
            final long lengthBytes = put.sizeBytes();
            final long directBytes = put.directBytes();
            for (long done = 0; done < lengthBytes; )
            {
                final long n = Math.min(staging.byteSize(), lengthBytes - done);
                final MemorySegment piece = staging.asSlice(0, n);
                gpu.driver().copyToHost(src.devicePointer().plus(done), piece);
                if (done + n > directBytes)
                {
                    put.writeTail(piece.asSlice(directBytes - done, lengthBytes - directBytes));
                }
                put.hash(shadow ? compared(put, done, piece, shadowCopy) : piece);
                done += n;
            }
            awaitDma(dma, put);
            return put.commit();
        }
        finally
        {
            // The extents are freed and the buffer handed back when this returns: never under a DMA.
            dma.exceptionally(t -> 0L).join();
        }
    }

    private static MemorySegment compared(
        final DirectPut put, final long offsetBytes, final MemorySegment fromDevice, final MemorySegment into)
    {
        put.readBack(offsetBytes, fromDevice.byteSize(), into);
        final MemorySegment landed = into.asSlice(0, fromDevice.byteSize());
        final long mismatch = landed.mismatch(fromDevice);
        if (mismatch >= 0)
        {
            throw new ConduitException(ErrorCode.GPU_IO_FAILED, "GDS write of " + put.key() + ": byte "
                + (offsetBytes + mismatch) + " read back from the extents differs from the device buffer");
        }
        return landed;
    }

    private static void awaitDma(final CompletableFuture<Long> dma, final DirectPut put)
    {
        try
        {
            dma.join();
        }
        catch (final CompletionException e)
        {
            if (e.getCause() instanceof final ConduitException ce && ce.code() == ErrorCode.GPU_IO_FAILED)
            {
                throw ce;
            }
            throw new ConduitException(ErrorCode.GPU_IO_FAILED, "GDS write of " + put.key() + " failed", e.getCause());
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            gpu.makeCurrent();
            pinned.close();
        }
        finally
        {
            arena.close();
        }
    }
}
