package dev.conduit.nativebindings.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.conduit.nativebindings.dynlib.CodeNames;

/**
 * {@code cudaError_t} values of the CUDA runtime that Conduit reports, with their names as
 * {@code driver_types.h} defines them (checked against the installed header by the layout test).
 * The runtime's own {@code cudaGetErrorName} is preferred; it answers "unrecognized error code"
 * for codes it does not know, and then this table, or {@code CUDA_RT_ERROR_<n>}, names it.
 */
public final class CudaRuntimeError
{
    /** No error. */
    public static final int SUCCESS = 0;
    /** The installed driver is older than the runtime, or there is no driver at all. */
    public static final int INSUFFICIENT_DRIVER = 35;
    /** No CUDA-capable device. */
    public static final int NO_DEVICE = 100;

    private static final CodeNames NAMES = new CodeNames(table(), "CUDA_RT_ERROR_");

    private CudaRuntimeError()
    {
    }

    /** @return every name this table knows, mapped to its value (for the header check). */
    public static Map<String, Integer> known()
    {
        return NAMES.known();
    }

    /**
     * @param code a cudaError_t.
     * @return its name, or {@code CUDA_RT_ERROR_<code>} when the table does not know it.
     */
    public static String name(final int code)
    {
        return NAMES.name(code);
    }

    private static Map<String, Integer> table()
    {
        final Map<String, Integer> t = new LinkedHashMap<>();
        t.put("cudaSuccess", 0);
        t.put("cudaErrorInvalidValue", 1);
        t.put("cudaErrorMemoryAllocation", 2);
        t.put("cudaErrorInitializationError", 3);
        t.put("cudaErrorCudartUnloading", 4);
        t.put("cudaErrorStubLibrary", 34);
        t.put("cudaErrorInsufficientDriver", 35);
        t.put("cudaErrorCallRequiresNewerDriver", 36);
        t.put("cudaErrorDevicesUnavailable", 46);
        t.put("cudaErrorNoDevice", 100);
        t.put("cudaErrorInvalidDevice", 101);
        t.put("cudaErrorDeviceUninitialized", 201);
        t.put("cudaErrorNotReady", 600);
        t.put("cudaErrorIllegalAddress", 700);
        t.put("cudaErrorNotPermitted", 800);
        t.put("cudaErrorNotSupported", 801);
        t.put("cudaErrorSystemNotReady", 802);
        t.put("cudaErrorSystemDriverMismatch", 803);
        t.put("cudaErrorCompatNotSupportedOnDevice", 804);
        t.put("cudaErrorUnknown", 999);
        return t;
    }
}
