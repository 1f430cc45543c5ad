package dev.conduit.nativebindings.cuda;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * A CUDA stream: work enqueued on it runs in order, asynchronously to the host.
 *
 * <pre>{@code
 * stream.copyToDeviceAsync(pinnedSlot, mem.pointer());
 * stream.record(slotDone);          // the slot may be refilled once slotDone completes
 * ...
 * if (slotDone.isComplete()) { ... }
 * }</pre>
 *
 * <p>Threading: one owner thread enqueues; host memory passed to async copies must stay valid (and
 * should be pinned) until the stream has passed the copy.
 */
public final class CudaStream implements AutoCloseable
{
    private final CudaDriver driver;
    private final MemorySegment handle;
    private final ReleaseOnce release = new ReleaseOnce("CUDA stream is destroyed");

    CudaStream(final CudaDriver driver, final MemorySegment handle)
    {
        this.driver = driver;
        this.handle = handle;
    }

    /**
     * The opaque {@code CUstream}, for other bindings of this module (cuFile's stream IO). Never
     * dereference it.
     *
     * @return the handle.
     */
    public MemorySegment handle()
    {
        release.ensureLive();
        return handle;
    }

    /**
     * Enqueues a host-to-device copy of the whole of {@code source}.
     *
     * @param source      host memory, valid until the copy completes.
     * @param destination device address.
     */
    public void copyToDeviceAsync(final MemorySegment source, final DevicePointer destination)
    {
        release.ensureLive();
        driver.check(driver.raw().memcpyHtoDAsync(destination.address(), source, source.byteSize(), handle),
            "cuMemcpyHtoDAsync_v2(dst=" + destination + ", bytes=" + source.byteSize() + ")");
    }

    /**
     * Enqueues a device-to-host copy filling the whole of {@code destination}.
     *
     * @param source      device address.
     * @param destination host memory, valid until the copy completes.
     */
    public void copyToHostAsync(final DevicePointer source, final MemorySegment destination)
    {
        release.ensureLive();
        driver.check(driver.raw().memcpyDtoHAsync(destination, source.address(), destination.byteSize(), handle),
            "cuMemcpyDtoHAsync_v2(src=" + source + ", bytes=" + destination.byteSize() + ")");
    }

    /**
     * Records {@code event} at the current end of this stream.
     *
     * @param event completes when the stream reaches this point.
     */
    public void record(final CudaEvent event)
    {
        release.ensureLive();
        event.recordOn(handle);
    }

    /** @return true when every enqueued operation has completed (cuStreamQuery). */
    public boolean isIdle()
    {
        release.ensureLive();
        final int r = driver.raw().streamQuery(handle);
        if (r == CudaResult.NOT_READY)
        {
            return false;
        }
        driver.check(r, "cuStreamQuery");
        return true;
    }

    /** Blocks until every enqueued operation has completed (cuStreamSynchronize). */
    public void synchronize()
    {
        release.ensureLive();
        driver.check(driver.raw().streamSynchronize(handle), "cuStreamSynchronize");
    }

    /** cuStreamDestroy_v2: returns at once, queued work still completes; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().streamDestroy(handle), "cuStreamDestroy_v2");
        }
    }
}
