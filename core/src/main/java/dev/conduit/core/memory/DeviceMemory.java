package dev.conduit.core.memory;

/**
 * Accelerator memory: {@code lengthBytes} at {@code devicePointer} in the CUDA context
 * {@code contextHandle} (a {@code CUcontext} value). Only a reference: it owns nothing, and no host
 * code may dereference it. Backends that cannot move bytes to or from a device (io_uring, the pread
 * pool) refuse it at submission.
 *
 * <p>Threading: immutable.
 */
public final class DeviceMemory implements IoMemory
{
    private final long contextHandle;
    private final long devicePointer;
    private final long lengthBytes;

    /**
     * @param contextHandle the CUDA context the pointer belongs to (non-zero).
     * @param devicePointer the device address (non-zero).
     * @param lengthBytes   bytes, {@code >= 0}.
     */
    public DeviceMemory(final long contextHandle, final long devicePointer, final long lengthBytes)
    {
        if (contextHandle == 0 || devicePointer == 0 || lengthBytes < 0)
        {
            throw new IllegalArgumentException("bad device memory: context=0x" + Long.toHexString(contextHandle) +
                ", pointer=0x" + Long.toHexString(devicePointer) + ", length=" + lengthBytes);
        }
        this.contextHandle = contextHandle;
        this.devicePointer = devicePointer;
        this.lengthBytes = lengthBytes;
    }

    @Override
    public MemoryKind kind()
    {
        return MemoryKind.DEVICE;
    }

    /** @return the CUDA context handle. */
    public long contextHandle()
    {
        return contextHandle;
    }

    /** @return the device pointer. */
    public long devicePointer()
    {
        return devicePointer;
    }

    @Override
    public long address()
    {
        return devicePointer;
    }

    @Override
    public long lengthBytes()
    {
        return lengthBytes;
    }

    @Override
    public String toString()
    {
        return "DeviceMemory(ctx=0x" + Long.toHexString(contextHandle) + ", ptr=0x" + Long.toHexString(devicePointer) +
            ", len=" + lengthBytes + ")";
    }
}
