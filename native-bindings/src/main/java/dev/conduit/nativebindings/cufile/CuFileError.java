package dev.conduit.nativebindings.cufile;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.conduit.nativebindings.dynlib.CodeNames;

/**
 * {@code CUfileOpError} codes and names from the public cuFile API reference (checked against the
 * transcribed test header). Codes above {@link #BASE} are cuFile's own; anything this table does
 * not know (the sentinel {@code CU_FILE_IO_MAX_ERROR} has moved between versions, and newer
 * libraries add codes) is named {@code CU_FILE_ERROR_<n>} and never crashes a caller.
 */
public final class CuFileError
{
    /** {@code CUFILEOP_BASE_ERR}: cuFile errors are greater than this. */
    public static final int BASE = 5000;
    /** Success. */
    public static final int SUCCESS = 0;
    /** nvidia-fs is not loaded (and compat mode is off), or the driver is not open. */
    public static final int DRIVER_NOT_INITIALIZED = 5001;
    /** A CUDA driver call failed; {@code cu_err} holds the CUresult. */
    public static final int CUDA_DRIVER_ERROR = 5011;
    /** Bad arguments. */
    public static final int INVALID_VALUE = 5022;

    private static final CodeNames NAMES = new CodeNames(table(), "CU_FILE_ERROR_");

    private CuFileError()
    {
    }

    /** @return every name this table knows, mapped to its value. */
    public static Map<String, Integer> known()
    {
        return NAMES.known();
    }

    /**
     * @param code a CUfileOpError (a negative one, as cuFileRead returns it, is negated first).
     * @return e.g. {@code CU_FILE_INVALID_VALUE}, or {@code CU_FILE_ERROR_<n>} when unknown.
     */
    public static String name(final int code)
    {
        return NAMES.name(Math.abs(code));
    }

    /**
     * {@code IS_CUFILE_ERR}: whether a negative IO return is a cuFile error rather than an errno.
     *
     * @param value a return value or code.
     * @return {@code |value| > 5000}.
     */
    public static boolean isCuFileError(final long value)
    {
        return Math.abs(value) > BASE;
    }

    private static Map<String, Integer> table()
    {
        final String[] names = {
            "CU_FILE_DRIVER_NOT_INITIALIZED", "CU_FILE_DRIVER_INVALID_PROPS", "CU_FILE_DRIVER_UNSUPPORTED_LIMIT",
            "CU_FILE_DRIVER_VERSION_MISMATCH", "CU_FILE_DRIVER_VERSION_READ_ERROR", "CU_FILE_DRIVER_CLOSING",
            "CU_FILE_PLATFORM_NOT_SUPPORTED", "CU_FILE_IO_NOT_SUPPORTED", "CU_FILE_DEVICE_NOT_SUPPORTED",
            "CU_FILE_NVFS_DRIVER_ERROR", "CU_FILE_CUDA_DRIVER_ERROR", "CU_FILE_CUDA_POINTER_INVALID",
            "CU_FILE_CUDA_MEMORY_TYPE_INVALID", "CU_FILE_CUDA_POINTER_RANGE_ERROR", "CU_FILE_CUDA_CONTEXT_MISMATCH",
            "CU_FILE_INVALID_MAPPING_SIZE", "CU_FILE_INVALID_MAPPING_RANGE", "CU_FILE_INVALID_FILE_TYPE",
            "CU_FILE_INVALID_FILE_OPEN_FLAG", "CU_FILE_DIO_NOT_SET", null,
            "CU_FILE_INVALID_VALUE", "CU_FILE_MEMORY_ALREADY_REGISTERED", "CU_FILE_MEMORY_NOT_REGISTERED",
            "CU_FILE_PERMISSION_DENIED", "CU_FILE_DRIVER_ALREADY_OPEN", "CU_FILE_HANDLE_NOT_REGISTERED",
            "CU_FILE_HANDLE_ALREADY_REGISTERED", "CU_FILE_DEVICE_NOT_FOUND", "CU_FILE_INTERNAL_ERROR",
            "CU_FILE_GETNEWFD_FAILED", null,
            "CU_FILE_NVFS_SETUP_ERROR", "CU_FILE_IO_DISABLED", "CU_FILE_BATCH_SUBMIT_FAILED",
            "CU_FILE_GPU_MEMORY_PINNING_FAILED", "CU_FILE_BATCH_FULL", "CU_FILE_ASYNC_NOT_SUPPORTED",
            "CU_FILE_INTERNAL_BATCH_SETUP_ERROR", "CU_FILE_INTERNAL_BATCH_SUBMIT_ERROR",
            "CU_FILE_INTERNAL_BATCH_GETSTATUS_ERROR", "CU_FILE_INTERNAL_BATCH_CANCEL_ERROR", "CU_FILE_NOMEM_ERROR",
            "CU_FILE_IO_ERROR", "CU_FILE_INTERNAL_BUF_REGISTER_ERROR", "CU_FILE_HASH_OPR_ERROR",
            "CU_FILE_INVALID_CONTEXT_ERROR", "CU_FILE_NVFS_INTERNAL_DRIVER_ERROR", "CU_FILE_BATCH_NOCOMPAT_ERROR",
        };
        final Map<String, Integer> t = new LinkedHashMap<>();
        t.put("CU_FILE_SUCCESS", SUCCESS);
        for (int i = 0; i < names.length; i++)
        {
            if (names[i] != null)
            {
                t.put(names[i], BASE + 1 + i);
            }
        }
        return t;
    }
}
