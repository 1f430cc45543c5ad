package dev.conduit.nativebindings.cuda;

import dev.conduit.nativebindings.NativeException;

/**
 * A CUDA driver or runtime call failed. {@link #code()} is the symbolic name
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
        super(operation, code, name, description);
    }
}
