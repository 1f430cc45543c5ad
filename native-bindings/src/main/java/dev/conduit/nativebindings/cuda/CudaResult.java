package dev.conduit.nativebindings.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.conduit.nativebindings.dynlib.CodeNames;

/**
 * {@code CUresult} values of the CUDA driver API and their names, as {@code cuda.h} defines them
 * (checked against the installed header by the layout test). The table is a fallback for when
 * {@code cuGetErrorName} is unavailable or does not know a code; a code neither knows is named
 * {@code CURESULT_<n>}, never an exception.
 */
public final class CudaResult
{
    /** No error. */
    public static final int SUCCESS = 0;
    /** An argument is out of range. */
    public static final int INVALID_VALUE = 1;
    /** Allocation failed. */
    public static final int OUT_OF_MEMORY = 2;
    /** cuInit has not been called (or failed). */
    public static final int NOT_INITIALIZED = 3;
    /** No CUDA-capable device. */
    public static final int NO_DEVICE = 100;
    /** Invalid device ordinal. */
    public static final int INVALID_DEVICE = 101;
    /** No valid current context. */
    public static final int INVALID_CONTEXT = 201;
    /** Invalid stream/event handle. */
    public static final int INVALID_HANDLE = 400;
    /** Asynchronous work has not completed yet (a query answer, not a failure). */
    public static final int NOT_READY = 600;
    /** The host range is already registered. */
    public static final int HOST_MEMORY_ALREADY_REGISTERED = 712;
    /** The host range is not registered. */
    public static final int HOST_MEMORY_NOT_REGISTERED = 713;

    private static final CodeNames NAMES = new CodeNames(table(), "CURESULT_");

    private CudaResult()
    {
    }

    /** @return every name this table knows, mapped to its value (for the header check). */
    public static Map<String, Integer> known()
    {
        return NAMES.known();
    }

    /**
     * @param code a CUresult.
     * @return its {@code cuda.h} name, or {@code CURESULT_<code>} when the table does not know it.
     */
    public static String name(final int code)
    {
        return NAMES.name(code);
    }

    /**
     * @param code a CUresult.
     * @return whether the table knows it.
     */
    public static boolean isKnown(final int code)
    {
        return NAMES.isKnown(code);
    }

    private static Map<String, Integer> table()
    {
        final Map<String, Integer> t = new LinkedHashMap<>();
        t.put("CUDA_SUCCESS", 0);
        t.put("CUDA_ERROR_INVALID_VALUE", 1);
        t.put("CUDA_ERROR_OUT_OF_MEMORY", 2);
        t.put("CUDA_ERROR_NOT_INITIALIZED", 3);
        t.put("CUDA_ERROR_DEINITIALIZED", 4);
        t.put("CUDA_ERROR_STUB_LIBRARY", 34);
        t.put("CUDA_ERROR_DEVICE_UNAVAILABLE", 46);
        t.put("CUDA_ERROR_NO_DEVICE", 100);
        t.put("CUDA_ERROR_INVALID_DEVICE", 101);
        t.put("CUDA_ERROR_DEVICE_NOT_LICENSED", 102);
        t.put("CUDA_ERROR_INVALID_IMAGE", 200);
        t.put("CUDA_ERROR_INVALID_CONTEXT", 201);
        t.put("CUDA_ERROR_CONTEXT_ALREADY_CURRENT", 202);
        t.put("CUDA_ERROR_MAP_FAILED", 205);
        t.put("CUDA_ERROR_UNMAP_FAILED", 206);
        t.put("CUDA_ERROR_ALREADY_MAPPED", 208);
        t.put("CUDA_ERROR_NO_BINARY_FOR_GPU", 209);
        t.put("CUDA_ERROR_NOT_MAPPED", 211);
        t.put("CUDA_ERROR_ECC_UNCORRECTABLE", 214);
        t.put("CUDA_ERROR_CONTEXT_ALREADY_IN_USE", 216);
        t.put("CUDA_ERROR_PEER_ACCESS_UNSUPPORTED", 217);
        t.put("CUDA_ERROR_INVALID_SOURCE", 300);
        t.put("CUDA_ERROR_FILE_NOT_FOUND", 301);
        t.put("CUDA_ERROR_OPERATING_SYSTEM", 304);
        t.put("CUDA_ERROR_INVALID_HANDLE", 400);
        t.put("CUDA_ERROR_ILLEGAL_STATE", 401);
        t.put("CUDA_ERROR_NOT_FOUND", 500);
        t.put("CUDA_ERROR_NOT_READY", 600);
        t.put("CUDA_ERROR_ILLEGAL_ADDRESS", 700);
        t.put("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", 701);
        t.put("CUDA_ERROR_LAUNCH_TIMEOUT", 702);
        t.put("CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED", 704);
        t.put("CUDA_ERROR_PEER_ACCESS_NOT_ENABLED", 705);
        t.put("CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE", 708);
        t.put("CUDA_ERROR_CONTEXT_IS_DESTROYED", 709);
        t.put("CUDA_ERROR_ASSERT", 710);
        t.put("CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED", 712);
        t.put("CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED", 713);
        t.put("CUDA_ERROR_HARDWARE_STACK_ERROR", 714);
        t.put("CUDA_ERROR_LAUNCH_FAILED", 719);
        t.put("CUDA_ERROR_NOT_PERMITTED", 800);
        t.put("CUDA_ERROR_NOT_SUPPORTED", 801);
        t.put("CUDA_ERROR_SYSTEM_NOT_READY", 802);
        t.put("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", 803);
        t.put("CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", 804);
        t.put("CUDA_ERROR_TIMEOUT", 909);
        t.put("CUDA_ERROR_UNKNOWN", 999);
        return t;
    }
}
