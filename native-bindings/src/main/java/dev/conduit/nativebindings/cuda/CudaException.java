package dev.conduit.nativebindings.cuda;

import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.NativeException;

/**
 * A CUDA driver or runtime call failed. {@link #nativeName()} is the symbolic name
 * ({@code CUDA_ERROR_OUT_OF_MEMORY}, {@code cudaErrorInsufficientDriver}, or {@code CURESULT_<n>}
 * for a code nobody knows) and {@link #nativeCode()} the number, e.g.
 * {@code cuMemAlloc_v2(bytes=1048576) failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory}.
 */
public final class CudaException extends NativeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param operation   the call and its key arguments.
     * @param code        the CUresult or cudaError_t.
     * @param name        its symbolic name.
     * @param description the library's description, may be empty.
     */
    public CudaException(final String operation, final int code, final String name, final String description)
    {
        super(errorCode(code), ErrorDomain.CUDA, operation, code, name, description);
    }

    /**
     * Maps the CUresult / cudaError_t values that share a number and a meaning in both APIs; the
     * rest are {@link ErrorCode#GPU_ERROR} with the native code kept beside it.
     */
    private static ErrorCode errorCode(final int code)
    {
        return switch (code)
        {
            case 1 -> ErrorCode.INVALID_ARGUMENT;                  // CUDA_ERROR_INVALID_VALUE, cudaErrorInvalidValue
            case 2 -> ErrorCode.OUT_OF_MEMORY;                     // CUDA_ERROR_OUT_OF_MEMORY, cudaErrorMemoryAllocation
            case 3, 35, 100 -> ErrorCode.DEVICE_UNAVAILABLE;       // not initialized, insufficient driver, no device
            default -> ErrorCode.GPU_ERROR;
        };
    }
}
