package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import dev.conduit.nativebindings.dynlib.CStrings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One CUDA device ({@code CUdevice}): identity, attributes and its primary context.
 *
 * <p>Threading: immutable; any thread.
 */
public final class CudaDevice
{
    private static final int NAME_BYTES = 256;
    private static final int BUS_ID_BYTES = 32;

    private final CudaDriver driver;
    private final int ordinal;
    private final int handle;

    CudaDevice(final CudaDriver driver, final int ordinal, final int handle)
    {
        this.driver = driver;
        this.ordinal = ordinal;
        this.handle = handle;
    }

    /** @return the ordinal this device was looked up by. */
    public int ordinal()
    {
        return ordinal;
    }

    /** @return the marketing name, e.g. {@code NVIDIA H100 80GB HBM3}. */
    public String name()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(NAME_BYTES);
            driver.check(driver.raw().deviceGetName(buffer, NAME_BYTES, handle), "cuDeviceGetName(device=" + ordinal + ")");
            return CStrings.fromBuffer(buffer);
        }
    }

    /**
     * @param attribute what to read.
     * @return its value.
     */
    public int attribute(final CudaDeviceAttribute attribute)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            driver.check(driver.raw().deviceGetAttribute(out, attribute.value(), handle),
                "cuDeviceGetAttribute(" + attribute.cName() + ", device=" + ordinal + ")");
            return out.get(JAVA_INT, 0);
        }
    }

    /** @return the PCI address {@code domain:bus:device.function}, as sysfs and lspci name it. */
    public String pciBusId()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(BUS_ID_BYTES);
            driver.check(driver.raw().deviceGetPciBusId(buffer, BUS_ID_BYTES, handle),
                "cuDeviceGetPCIBusId(device=" + ordinal + ")");
            return CStrings.fromBuffer(buffer).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @return total device memory in bytes. */
    public long totalMemoryBytes()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_LONG);
            driver.check(driver.raw().deviceTotalMem(out, handle), "cuDeviceTotalMem_v2(device=" + ordinal + ")");
            return out.get(JAVA_LONG, 0);
        }
    }

    /** @return the UUID as nvidia-smi prints it, {@code GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
    public String uuid()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(CudaLayouts.CU_UUID);
            driver.check(driver.raw().deviceGetUuid(out, handle), "cuDeviceGetUuid_v2(device=" + ordinal + ")");
            final String hex = HexFormat.of().formatHex(out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            return "GPU-" + hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-'
                + hex.substring(16, 20) + '-' + hex.substring(20);
        }
    }

    /**
     * Retains the device's primary context (the one the CUDA runtime and cuFile use), so that
     * Conduit and any other library in the process share it. Release with {@link CudaContext#close()}.
     *
     * @return the retained context; not yet current on any thread.
     */
    public CudaContext retainPrimaryContext()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            driver.check(driver.raw().primaryCtxRetain(slot, handle), "cuDevicePrimaryCtxRetain(device=" + ordinal + ")");
            return new CudaContext(driver, this, slot.get(ADDRESS, 0));
        }
    }

    int handle()
    {
        return handle;
    }

    @Override
    public String toString()
    {
        return "CudaDevice[" + ordinal + "]";
    }
}
