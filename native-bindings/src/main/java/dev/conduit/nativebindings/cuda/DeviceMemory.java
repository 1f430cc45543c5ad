package dev.conduit.nativebindings.cuda;

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
    private boolean closed;

    DeviceMemory(final CudaDriver driver, final DevicePointer pointer, final long byteSize)
    {
        this.driver = driver;
        this.pointer = pointer;
        this.byteSize = byteSize;
    }

    /** @return the base address. */
    public DevicePointer pointer()
    {
        ensureOpen();
        return pointer;
    }

    /**
     * @param offsetBytes 0 .. {@link #byteSize()}.
     * @return the address {@code offsetBytes} into this allocation.
     */
    public DevicePointer pointer(final long offsetBytes)
    {
        ensureOpen();
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

    /** cuMemFree_v2; a second call does nothing. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            driver.check(driver.raw().memFree(pointer.address()), "cuMemFree_v2(ptr=" + pointer + ")");
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("device memory " + pointer + " is freed");
        }
    }
}
