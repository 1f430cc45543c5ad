package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Device memory from cuMemAlloc_v2, freed by {@link #close()}.
 *
 * <p>Threading: the addresses may be used from any thread with the owning context current; close
 * only after every copy and IO targeting it has completed.
 */
public final class DeviceMemory implements AutoCloseable
{
    private final CudaDriver driver;
    private final DevicePointer pointer;
    private final long byteSize;
    private final ReleaseOnce release;

    DeviceMemory(final CudaDriver driver, final DevicePointer pointer, final long byteSize)
    {
        this.driver = driver;
        this.pointer = pointer;
        this.byteSize = byteSize;
        this.release = new ReleaseOnce("device memory " + pointer + " is freed");
    }

    /** @return the base address. */
    public DevicePointer pointer()
    {
        release.ensureLive();
        return pointer;
    }

    /**
     * @param offsetBytes 0 .. {@link #byteSize()}.
     * @return the address {@code offsetBytes} into this allocation.
     */
    public DevicePointer pointer(final long offsetBytes)
    {
        release.ensureLive();
        if (offsetBytes < 0 || offsetBytes > byteSize)
        {
            throw new IndexOutOfBoundsException("offset " + offsetBytes + " outside allocation of " + byteSize + " bytes");
        }
        return pointer.plus(offsetBytes);
    }

    /** @return the allocation size in bytes. */
    public long byteSize()
    {
        return byteSize;
    }

    /**
     * Exports this allocation for another process (cuIpcGetMemHandle); the owning context must be
     * current. The handle names the base: importers add offsets themselves.
     *
     * @return the handle.
     */
    public CudaIpcHandle exportIpc()
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(CudaLayouts.CU_IPC_MEM_HANDLE);
            driver.check(driver.raw().ipcGetMemHandle(out, pointer.address()), "cuIpcGetMemHandle(ptr=" + pointer + ")");
            return new CudaIpcHandle(out.toArray(JAVA_BYTE));
        }
    }

    /** cuMemFree_v2; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().memFree(pointer.address()), "cuMemFree_v2(ptr=" + pointer + ")");
        }
    }
}
