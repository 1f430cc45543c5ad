package dev.conduit.nativebindings.cuda;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * Host memory page-locked with cuMemHostRegister_v2 (the bounce ring's pinned slots), undone by
 * {@link #close()}. The registration does not own the memory; its allocator does, and must keep it
 * alive until this is closed.
 *
 * <p>Threading: close after every async copy from or to the memory has completed.
 */
public final class HostRegistration implements AutoCloseable
{
    private final CudaDriver driver;
    private final MemorySegment host;
    private final ReleaseOnce release = new ReleaseOnce();

    HostRegistration(final CudaDriver driver, final MemorySegment host)
    {
        this.driver = driver;
        this.host = host;
    }

    /** @return the registered memory. */
    public MemorySegment memory()
    {
        return host;
    }

    /** cuMemHostUnregister; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().memHostUnregister(host), "cuMemHostUnregister(bytes=" + host.byteSize() + ")");
        }
    }
}
