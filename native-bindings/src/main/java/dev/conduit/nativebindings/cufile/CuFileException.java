package dev.conduit.nativebindings.cufile;

import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * A cuFile call failed. {@link #nativeName()} is the CUfileOpError name (or the errno name for a
 * filesystem error from a read/write); a {@code CU_FILE_CUDA_DRIVER_ERROR} also carries the
 * CUresult, e.g. {@code cuFileDriverOpen failed: CU_FILE_CUDA_DRIVER_ERROR (5011): CUDA Driver API
 * error; CUresult CUDA_ERROR_NO_DEVICE (100)}.
 */
public final class CuFileException extends NativeException
{
    private static final long serialVersionUID = 1L;

    private final int cudaResult;
    private final boolean errno;

    private CuFileException(
        final String operation, final int code, final String name, final String message, final int cudaResult, final boolean errno)
    {
        super(errno ? Errno.errorCode(code) : ErrorCode.GPU_ERROR, errno ? ErrorDomain.ERRNO : ErrorDomain.CUFILE,
            operation, code, name, message);
        this.cudaResult = cudaResult;
        this.errno = errno;
    }

    /**
     * @param operation   the call and its key arguments.
     * @param err         CUfileOpError (positive).
     * @param cudaResult  the CUresult, or 0.
     * @param description the library's description of {@code err}.
     * @param cudaName    the CUresult's name when {@code cudaResult != 0}.
     * @return the exception.
     */
    public static CuFileException cuFile(
        final String operation, final int err, final int cudaResult, final String description, final String cudaName)
    {
        final String detail = cudaResult == 0 ? description : description + "; CUresult " + cudaName + " (" + cudaResult + ")";
        return new CuFileException(operation, err, CuFileError.name(err), detail, cudaResult, false);
    }

    /**
     * @param operation the call and its key arguments.
     * @param errno     positive errno from a read or write.
     * @return the exception.
     */
    public static CuFileException errno(final String operation, final int errno)
    {
        return new CuFileException(operation, errno, Errno.name(errno), Errno.describe(errno), 0, true);
    }

    /** @return the CUresult behind a {@code CU_FILE_CUDA_DRIVER_ERROR}, else 0. */
    public int cudaResult()
    {
        return cudaResult;
    }

    /** @return true when {@link #nativeCode()} is an errno (filesystem error) rather than a CUfileOpError. */
    public boolean isErrno()
    {
        return errno;
    }
}
