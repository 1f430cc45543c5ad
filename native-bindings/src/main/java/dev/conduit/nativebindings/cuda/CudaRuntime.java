package dev.conduit.nativebindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.conduit.nativebindings.NativeLibraries;
import dev.conduit.nativebindings.NativeRuntime;
import dev.conduit.nativebindings.dynlib.CStrings;
import dev.conduit.nativebindings.dynlib.DynamicLibrary;
import dev.conduit.nativebindings.dynlib.NativeFunction;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The CUDA runtime subset used for reporting ({@code libcudart}): its own version, the driver
 * version it sees, and the device count, whose failure says why CUDA is unusable (on a host with
 * the toolkit but no driver, {@code cudaErrorInsufficientDriver}).
 *
 * <p>Loading: {@value #OVERRIDE_ENV} first, then sonames {@code libcudart.so.13}, {@code .12},
 * {@code .11.0} and {@code libcudart.so}, through the system loader, {@code $CUDA_HOME/lib64} and
 * {@code /usr/local/cuda/lib64}.
 *
 * <p>Threading: stateless; any thread.
 */
public final class CudaRuntime
{
    /** Environment variable naming an explicit libcudart path (tests point it at a double). */
    public static final String OVERRIDE_ENV = "CONDUIT_CUDART_LIB";
    /** Sonames tried, newest first. */
    public static final List<String> SONAMES = List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so");
    /** Every C function this class binds. */
    public static final List<String> SYMBOLS = List.of(
        "cudaRuntimeGetVersion", "cudaDriverGetVersion", "cudaGetDeviceCount", "cudaGetErrorName", "cudaGetErrorString");

    private static final String UNRECOGNIZED = "unrecognized error code";

    private final DynamicLibrary library;
    private final NativeFunction runtimeGetVersion;
    private final NativeFunction driverGetVersion;
    private final NativeFunction getDeviceCount;
    private final NativeFunction getErrorName;
    private final NativeFunction getErrorString;

    private CudaRuntime(final DynamicLibrary library)
    {
        this.library = library;
        final Supplier<String> owner = () -> "this CUDA runtime (" + library.name() + ")";
        final FunctionDescriptor intOut = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        final FunctionDescriptor name = FunctionDescriptor.of(ADDRESS, JAVA_INT);
        this.runtimeGetVersion = library.function("cudaRuntimeGetVersion", intOut, owner);
        this.driverGetVersion = library.function("cudaDriverGetVersion", intOut, owner);
        this.getDeviceCount = library.function("cudaGetDeviceCount", intOut, owner);
        this.getErrorName = library.function("cudaGetErrorName", name, owner);
        this.getErrorString = library.function("cudaGetErrorString", name, owner);
    }

    /** @return the candidates tried by {@link #load()}, in order. */
    public static List<String> defaultCandidates()
    {
        return NativeLibraries.candidates(OVERRIDE_ENV, SONAMES.toArray(String[]::new));
    }

    /** @return the runtime from {@link #defaultCandidates()}, or empty when none loads. */
    public static Optional<CudaRuntime> load()
    {
        return load(defaultCandidates());
    }

    /**
     * @param candidates sonames or paths to try, in order.
     * @return the first that loads, or empty.
     */
    public static Optional<CudaRuntime> load(final List<String> candidates)
    {
        return DynamicLibrary.open(candidates).map(CudaRuntime::new);
    }

    /** @return the soname or path that loaded. */
    public String libraryName()
    {
        return library.name();
    }

    /** @return the runtime's CUDA version, 1000*major + 10*minor. */
    public int runtimeVersion()
    {
        return intQuery(runtimeGetVersion, "cudaRuntimeGetVersion");
    }

    /** @return the driver's CUDA version as the runtime sees it; 0 when no driver is installed. */
    public int driverVersion()
    {
        return intQuery(driverGetVersion, "cudaDriverGetVersion");
    }

    /**
     * @return the number of devices.
     * @throws CudaException with the runtime's reason when CUDA cannot be used, e.g.
     *                       {@code cudaErrorInsufficientDriver (35)} or {@code cudaErrorNoDevice (100)}.
     */
    public int deviceCount()
    {
        return intQuery(getDeviceCount, "cudaGetDeviceCount");
    }

    /**
     * @param code a cudaError_t.
     * @return the runtime's name for it, else {@link CudaRuntimeError#name}.
     */
    public String errorName(final int code)
    {
        final String name = text(getErrorName, code);
        return name.isEmpty() || UNRECOGNIZED.equals(name) ? CudaRuntimeError.name(code) : name;
    }

    /**
     * @param code a cudaError_t.
     * @return the runtime's description, or empty for a code it does not recognise.
     */
    public String errorString(final int code)
    {
        final String text = text(getErrorString, code);
        return UNRECOGNIZED.equals(text) ? "" : text;
    }

    private int intQuery(final NativeFunction function, final String operation)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            final int r = (int)function.handle().invokeExact(out);
            if (r != CudaRuntimeError.SUCCESS)
            {
                throw new CudaException(operation, r, errorName(r), errorString(r));
            }
            return out.get(JAVA_INT, 0);
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }

    private static String text(final NativeFunction function, final int code)
    {
        if (!function.exported())
        {
            return "";
        }
        try
        {
            return CStrings.fromPointer((MemorySegment)function.handle().invokeExact(code));
        }
        catch (final Throwable t)
        {
            throw NativeRuntime.rethrow(t);
        }
    }
}
