package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A retained primary context of one device. Everything that creates device-side state (memory,
 * streams, events, host registrations) goes through here and needs this context current on the
 * calling thread: call {@link #makeCurrent()} once per thread, e.g. when a Disruptor handler starts.
 *
 * <p>Close order: streams, events, memory and registrations first, then this context (the primary
 * context is reference counted; the last release destroys it).
 *
 * <p>Threading: {@link #makeCurrent()} affects only the calling thread; {@link #close()} must come
 * after every thread is done with it.
 */
public final class CudaContext implements AutoCloseable
{
    private final CudaDriver driver;
    private final CudaDevice device;
    private final MemorySegment handle;
    private final ReleaseOnce release;

    CudaContext(final CudaDriver driver, final CudaDevice device, final MemorySegment handle)
    {
        this.driver = driver;
        this.device = device;
        this.handle = handle;
        this.release = new ReleaseOnce("CUDA context of device " + device.ordinal() + " is released");
    }

    /** @return the device this context belongs to. */
    public CudaDevice device()
    {
        return device;
    }

    /** Binds this context to the calling thread (cuCtxSetCurrent). */
    public void makeCurrent()
    {
        release.ensureLive();
        driver.check(driver.raw().ctxSetCurrent(handle), "cuCtxSetCurrent(device=" + device.ordinal() + ")");
    }

    /** @return whether this context is the calling thread's current one (cuCtxGetCurrent). */
    public boolean isCurrent()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            driver.check(driver.raw().ctxGetCurrent(slot), "cuCtxGetCurrent");
            return slot.get(ADDRESS, 0).equals(handle);
        }
    }

    /**
     * Allocates device memory (cuMemAlloc_v2); this context must be current.
     *
     * @param bytes size, at least 1.
     * @return the allocation; free it with {@link DeviceMemory#close()}.
     */
    public DeviceMemory allocate(final long bytes)
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(CudaLayouts.CU_DEVICEPTR);
            driver.check(driver.raw().memAlloc(out, bytes), "cuMemAlloc_v2(bytes=" + bytes + ")");
            return new DeviceMemory(driver, new DevicePointer(out.get(CudaLayouts.CU_DEVICEPTR, 0)), bytes);
        }
    }

    /**
     * Page-locks existing host memory so the GPU can DMA it (cuMemHostRegister_v2); this context
     * must be current. The memory must outlive the registration.
     *
     * @param host  the memory, ideally page aligned.
     * @param flags {@code CudaLayouts.CU_MEMHOSTREGISTER_*}.
     * @return the registration; undo it with {@link HostRegistration#close()}.
     */
    public HostRegistration registerHost(final MemorySegment host, final int flags)
    {
        release.ensureLive();
        driver.check(driver.raw().memHostRegister(host, host.byteSize(), flags),
            "cuMemHostRegister_v2(bytes=" + host.byteSize() + ", flags=0x" + Integer.toHexString(flags) + ")");
        return new HostRegistration(driver, host);
    }

    /**
     * Creates a stream (cuStreamCreate); this context must be current.
     *
     * @param flags 0 or {@link CudaLayouts#CU_STREAM_NON_BLOCKING}.
     * @return the stream.
     */
    public CudaStream createStream(final int flags)
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            driver.check(driver.raw().streamCreate(slot, flags), "cuStreamCreate(flags=0x" + Integer.toHexString(flags) + ")");
            return new CudaStream(driver, slot.get(ADDRESS, 0));
        }
    }

    /**
     * Creates an event (cuEventCreate); this context must be current.
     *
     * @param flags {@code CudaLayouts.CU_EVENT_*}; {@link CudaLayouts#CU_EVENT_DISABLE_TIMING} for
     *              pure completion tracking.
     * @return the event.
     */
    public CudaEvent createEvent(final int flags)
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            driver.check(driver.raw().eventCreate(slot, flags), "cuEventCreate(flags=0x" + Integer.toHexString(flags) + ")");
            return new CudaEvent(driver, slot.get(ADDRESS, 0));
        }
    }

    /**
     * Maps a device allocation another process exported (cuIpcOpenMemHandle_v2); this context must
     * be current.
     *
     * @param handle the exporter's handle.
     * @return the mapping; unmap it with {@link CudaIpcMapping#close()}.
     */
    public CudaIpcMapping openIpc(final CudaIpcHandle handle)
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(CudaLayouts.CU_DEVICEPTR);
            final MemorySegment bytes = arena.allocate(CudaLayouts.CU_IPC_MEM_HANDLE);
            MemorySegment.copy(handle.bytes(), 0, bytes, JAVA_BYTE, 0, CudaIpcHandle.BYTES);
            driver.check(driver.raw().ipcOpenMemHandle(out, bytes, CudaLayouts.CU_IPC_MEM_LAZY_ENABLE_PEER_ACCESS),
                "cuIpcOpenMemHandle_v2");
            return new CudaIpcMapping(driver, new DevicePointer(out.get(CudaLayouts.CU_DEVICEPTR, 0)));
        }
    }

    /** Releases the primary context (cuDevicePrimaryCtxRelease_v2); a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            driver.check(driver.raw().primaryCtxRelease(device.handle()),
                "cuDevicePrimaryCtxRelease_v2(device=" + device.ordinal() + ")");
        }
    }
}
