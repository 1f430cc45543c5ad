package dev.conduit.nativebindings.cufile;

import dev.conduit.nativebindings.cuda.CudaResult;

/**
 * Turns raw cuFile results into values or {@link CuFileException}s: packed {@code CUfileError_t}
 * statuses, and the IO return convention (bytes; {@code -errno} for a filesystem error;
 * {@code -CUfileOpError} otherwise).
 */
public final class CuFileResults
{
    private CuFileResults()
    {
    }

    /**
     * @param library   where descriptions come from.
     * @param status    a packed status from {@link CuFileLibrary}.
     * @param operation the call and its key arguments.
     * @throws CuFileException unless the status is success.
     */
    public static void check(final CuFileLibrary library, final long status, final String operation)
    {
        if (!CuFileStatus.isOk(status))
        {
            throw failure(library, status, operation);
        }
    }

    /**
     * @param library   where descriptions come from.
     * @param status    a failed packed status.
     * @param operation the call and its key arguments.
     * @return the exception, naming the CUfileOpError and, for CUDA driver errors, the CUresult.
     */
    public static CuFileException failure(final CuFileLibrary library, final long status, final String operation)
    {
        final int err = CuFileStatus.err(status);
        final int cuErr = err == CuFileError.CUDA_DRIVER_ERROR ? CuFileStatus.cuErr(status) : 0;
        return CuFileException.cuFile(operation, err, cuErr, library.statusError(err), CudaResult.name(cuErr));
    }

    /**
     * Decodes a read/write result.
     *
     * @param library   where descriptions come from.
     * @param result    from {@link CuFileLibrary#read} and friends.
     * @param operation the call and its key arguments.
     * @return the byte count ({@code >= 0}).
     * @throws CuFileException for {@code -errno} (code: the errno name) or {@code -CUfileOpError}.
     */
    public static long transferred(final CuFileLibrary library, final long result, final String operation)
    {
        if (result >= 0)
        {
            return result;
        }
        if (CuFileError.isCuFileError(result))
        {
            final int err = (int)-result;
            throw CuFileException.cuFile(operation, err, 0, library.statusError(err), "");
        }
        throw CuFileException.errno(operation, (int)-result);
    }
}
