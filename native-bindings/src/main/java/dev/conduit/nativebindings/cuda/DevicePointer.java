package dev.conduit.nativebindings.cuda;

/**
 * A device virtual address ({@code CUdeviceptr}): a value, not a buffer. Device memory cannot be
 * dereferenced from the host, so this type deliberately offers no reads or writes; copies go
 * through {@link CudaDriver} or a {@link CudaStream}, and cuFile takes it as an IO target.
 *
 * @param address the 64-bit device address; 0 is the null device pointer.
 */
public record DevicePointer(long address)
{
    /** The null device pointer. */
    public static final DevicePointer NULL = new DevicePointer(0);

    /**
     * @param offsetBytes a non-negative byte offset.
     * @return this address plus {@code offsetBytes}.
     */
    public DevicePointer plus(final long offsetBytes)
    {
        if (offsetBytes < 0)
        {
            throw new IllegalArgumentException("offsetBytes must be >= 0: " + offsetBytes);
        }
        return new DevicePointer(Math.addExact(address, offsetBytes));
    }

    /** @return whether this is the null device pointer. */
    public boolean isNull()
    {
        return address == 0;
    }

    @Override
    public String toString()
    {
        return "0x" + Long.toHexString(address);
    }
}
