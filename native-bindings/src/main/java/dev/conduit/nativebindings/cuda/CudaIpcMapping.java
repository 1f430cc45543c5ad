package dev.conduit.nativebindings.cuda;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * Another process's device allocation mapped into this one ({@code cuIpcOpenMemHandle_v2}),
 * unmapped by {@link #close()} ({@code cuIpcCloseMemHandle}). The exporter must keep the
 * allocation alive until every importer has closed its mapping.
 *
 * <p>Threading: close with the importing context current, after the last use.
 */
public final class CudaIpcMapping implements AutoCloseable
{
    private final CudaDriver driver;
    private final DevicePointer pointer;
    private final ReleaseOnce release;

    CudaIpcMapping(final CudaDriver driver, final DevicePointer pointer)
    {
        this.driver = driver;
        this.pointer = pointer;
        this.release = new ReleaseOnce("IPC mapping " + pointer + " is closed");
    }

    /** @return the mapped base (the exporter's allocation base, at this process's address). */
    public DevicePointer pointer()
    {
        release.ensureLive();
        return pointer;
    }

    /** cuIpcCloseMemHandle; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().ipcCloseMemHandle(pointer.address()), "cuIpcCloseMemHandle(ptr=" + pointer + ")");
        }
    }
}
