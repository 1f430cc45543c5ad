package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.conduit.nativebindings.dynlib.CStrings;
import dev.conduit.nativebindings.dynlib.UnsupportedCallException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The typed CUDA driver API: initialisation, versions, devices, synchronous copies and error
 * names. Failures are {@link CudaException}s named with the driver's own {@code cuGetErrorName}.
 *
 * <pre>{@code
 * CudaDriver cuda = CudaDriver.load().orElseThrow();
 * cuda.init();
 * try (CudaContext ctx = cuda.device(0).retainPrimaryContext())
 * {
 *     ctx.makeCurrent();                       // once per thread that touches device memory
 *     try (DeviceMemory mem = ctx.allocate(1 << 20))
 *     {
 *         cuda.copyToDevice(hostSegment, mem.pointer());
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: stateless; any thread (device memory calls need a current context on that thread).
 */
public final class CudaDriver
{
    private final CudaDriverLibrary library;

    private CudaDriver(final CudaDriverLibrary library)
    {
        this.library = Objects.requireNonNull(library, "library");
    }

    /** @return the process-wide driver ({@link CudaDriverLibrary#load()}), or empty when libcuda is absent. */
    public static Optional<CudaDriver> load()
    {
        return CudaDriverLibrary.load().map(CudaDriver::new);
    }

    /**
     * @param library a loaded driver library.
     * @return the typed API over it.
     */
    public static CudaDriver of(final CudaDriverLibrary library)
    {
        return new CudaDriver(library);
    }

    /** @return the raw bindings, for hot paths that pass CUresult codes on. */
    public CudaDriverLibrary raw()
    {
        return library;
    }

    /** @return the soname or path of the loaded library. */
    public String libraryName()
    {
        return library.name();
    }

    /** cuInit(0); harmless to repeat. */
    public void init()
    {
        check(library.init(0), "cuInit(flags=0)");
    }

    /** @return the driver's CUDA version, 1000*major + 10*minor (12040 is 12.4); needs no cuInit. */
    public int version()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            check(library.driverGetVersion(out), "cuDriverGetVersion");
            return out.get(JAVA_INT, 0);
        }
    }

    /** @return the number of CUDA devices (after {@link #init()}). */
    public int deviceCount()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            check(library.deviceGetCount(out), "cuDeviceGetCount");
            return out.get(JAVA_INT, 0);
        }
    }

    /**
     * @param ordinal 0 .. {@link #deviceCount()} - 1.
     * @return the device.
     */
    public CudaDevice device(final int ordinal)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(CudaLayouts.CU_DEVICE);
            check(library.deviceGet(out, ordinal), "cuDeviceGet(ordinal=" + ordinal + ")");
            return new CudaDevice(this, ordinal, out.get(CudaLayouts.CU_DEVICE, 0));
        }
    }

    /** @return every device, in ordinal order. */
    public List<CudaDevice> devices()
    {
        final int count = deviceCount();
        final List<CudaDevice> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            out.add(device(i));
        }
        return out;
    }

    /** Unbinds whatever context is current on the calling thread. */
    public void clearCurrentContext()
    {
        check(library.ctxSetCurrent(MemorySegment.NULL), "cuCtxSetCurrent(NULL)");
    }

    /**
     * Synchronous host-to-device copy of the whole of {@code source}.
     *
     * @param source      host memory.
     * @param destination device address with room for {@code source.byteSize()} bytes.
     */
    public void copyToDevice(final MemorySegment source, final DevicePointer destination)
    {
        check(library.memcpyHtoD(destination.address(), source, source.byteSize()),
            "cuMemcpyHtoD_v2(dst=" + destination + ", bytes=" + source.byteSize() + ")");
    }

    /**
     * Synchronous device-to-host copy filling the whole of {@code destination}.
     *
     * @param source      device address.
     * @param destination host memory; its size is the copy length.
     */
    public void copyToHost(final DevicePointer source, final MemorySegment destination)
    {
        check(library.memcpyDtoH(destination, source.address(), destination.byteSize()),
            "cuMemcpyDtoH_v2(src=" + source + ", bytes=" + destination.byteSize() + ")");
    }

    /**
     * The driver's name for a CUresult ({@code cuGetErrorName}), falling back to
     * {@link CudaResult#name} when the driver does not know it or cannot answer.
     *
     * @param code a CUresult.
     * @return e.g. {@code CUDA_ERROR_NO_DEVICE}, or {@code CURESULT_<n>} for an unknown code.
     */
    public String errorName(final int code)
    {
        return describe(code, false).orElseGet(() -> CudaResult.name(code));
    }

    /**
     * @param code a CUresult.
     * @return the driver's description ({@code cuGetErrorString}), or empty when it has none.
     */
    public String errorString(final int code)
    {
        return describe(code, true).orElse("");
    }

    /**
     * @param result    a CUresult.
     * @param operation the call and its key arguments, for the message.
     * @throws CudaException unless {@code result} is {@link CudaResult#SUCCESS}.
     */
    public void check(final int result, final String operation)
    {
        if (result != CudaResult.SUCCESS)
        {
            throw error(operation, result);
        }
    }

    /**
     * @param operation the call and its key arguments.
     * @param result    the failing CUresult.
     * @return the exception, named by the driver.
     */
    public CudaException error(final String operation, final int result)
    {
        return new CudaException(operation, result, errorName(result), errorString(result));
    }

    private Optional<String> describe(final int code, final boolean text)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment slot = arena.allocate(ADDRESS);
            final int r = text ? library.getErrorString(code, slot) : library.getErrorName(code, slot);
            final String value = r == CudaResult.SUCCESS ? CStrings.fromSlot(slot) : "";
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        catch (final UnsupportedCallException notExported)
        {
            // A stub or very old driver without the error helpers: the static table answers.
            return Optional.empty();
        }
    }
}
