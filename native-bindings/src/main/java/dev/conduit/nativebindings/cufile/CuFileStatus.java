package dev.conduit.nativebindings.cufile;

/**
 * A {@code CUfileError_t} packed into one {@code long} so raw calls return it without allocating:
 * {@code err} (the CUfileOpError) in the low 32 bits, {@code cu_err} (the CUresult, meaningful when
 * err is {@link CuFileError#CUDA_DRIVER_ERROR}) in the high 32 bits. Success is {@code 0L}.
 */
public final class CuFileStatus
{
    /** The packed success value. */
    public static final long OK = 0L;

    private CuFileStatus()
    {
    }

    /**
     * @param err   CUfileOpError.
     * @param cuErr CUresult.
     * @return the packed status.
     */
    public static long pack(final int err, final int cuErr)
    {
        return ((long)cuErr << 32) | (err & 0xFFFF_FFFFL);
    }

    /**
     * @param status a packed status.
     * @return its CUfileOpError.
     */
    public static int err(final long status)
    {
        return (int)status;
    }

    /**
     * @param status a packed status.
     * @return its CUresult.
     */
    public static int cuErr(final long status)
    {
        return (int)(status >>> 32);
    }

    /**
     * @param status a packed status.
     * @return whether {@code err} is {@code CU_FILE_SUCCESS}.
     */
    public static boolean isOk(final long status)
    {
        return err(status) == CuFileError.SUCCESS;
    }
}
