package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.nativebindings.cuda.CudaLayouts;
import dev.conduit.nativebindings.cuda.HostRegistration;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * Checkpoint writes of the GPU paths: device memory → a pinned host staging buffer
 * ({@code cuMemcpyDtoH}, one staging-sized piece at a time) → the store's put session, which gives
 * the write the store's durability (CRC-32C per chunk, journal commit). Host buffers go to the put
 * session directly.
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
