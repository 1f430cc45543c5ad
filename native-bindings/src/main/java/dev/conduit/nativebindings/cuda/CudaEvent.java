package dev.conduit.nativebindings.cuda;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * A CUDA event: a marker recorded on a stream that completes when the stream reaches it. An event
 * never recorded counts as complete.
 *
 * <p>Threading: record from the stream's owner thread; query or wait from any thread.
 */
public final class CudaEvent implements AutoCloseable
{
    private final CudaDriver driver;
    private final MemorySegment handle;
    private final ReleaseOnce release = new ReleaseOnce("CUDA event is destroyed");

    CudaEvent(final CudaDriver driver, final MemorySegment handle)
    {
        this.driver = driver;
        this.handle = handle;
    }

    /** @return true once the stream has passed the latest record (cuEventQuery). */
    public boolean isComplete()
    {
        release.ensureLive();
        final int r = driver.raw().eventQuery(handle);
        if (r == CudaResult.NOT_READY)
        {
            return false;
        }
        driver.check(r, "cuEventQuery");
        return true;
    }

    /** Blocks until the latest record has completed (cuEventSynchronize). */
    public void synchronize()
    {
        release.ensureLive();
        driver.check(driver.raw().eventSynchronize(handle), "cuEventSynchronize");
    }

    /** cuEventDestroy_v2; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().eventDestroy(handle), "cuEventDestroy_v2");
        }
    }

    void recordOn(final MemorySegment stream)
    {
        release.ensureLive();
        driver.check(driver.raw().eventRecord(handle, stream), "cuEventRecord");
    }
}
