package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.cuda.DeviceMemory;
import dev.conduit.nativebindings.cuda.DevicePointer;

/**
 * Where cuFile reads into or writes from: device memory (the GPUDirect path) or host memory
 * (supported since cuFile 1.7). A value; it owns nothing. Bounds are the library's to check, so
 * its documented errors (e.g. {@code CU_FILE_CUDA_POINTER_RANGE_ERROR}) reach the caller unchanged.
 *
 * @param address   base address (device or host virtual address).
 * @param byteSize  bytes available from {@code address}.
 */
public record CuFileBuffer(long address, long byteSize)
{
    /**
     * @param memory a device allocation.
     * @return the whole allocation.
     */
    public static CuFileBuffer of(final DeviceMemory memory)
    {
        return new CuFileBuffer(memory.pointer().address(), memory.byteSize());
    }

    /**
     * @param pointer  a device address.
     * @param byteSize bytes from it.
     * @return the buffer.
     */
    public static CuFileBuffer of(final DevicePointer pointer, final long byteSize)
    {
        return new CuFileBuffer(pointer.address(), byteSize);
    }

    /**
     * @param host host memory (page-aligned memory avoids cuFile's internal bounce copies).
     * @return the buffer.
     */
    public static CuFileBuffer of(final MemorySegment host)
    {
        return new CuFileBuffer(host.address(), host.byteSize());
    }

    MemorySegment base()
    {
        return MemorySegment.ofAddress(address);
    }

    @Override
    public String toString()
    {
        return "CuFileBuffer[0x" + Long.toHexString(address) + ", " + byteSize + " bytes]";
    }
}
