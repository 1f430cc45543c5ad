package dev.conduit.nativebindings;

/**
 * A native call failed: carries the call's name, its key arguments, and the native error number
 * with its symbolic name ({@code errno}, {@code CUresult} or a cuFile error), so a log line like
 * {@code pread(fd=7, len=4096, off=12288) failed: EINVAL (22)} says everything needed.
 *
 * <p>{@link #code()} is the symbolic name ({@code "EINVAL"}, {@code "CUDA_ERROR_NO_DEVICE"}, ...).
 */
public class NativeException extends ConduitException
{
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int nativeCode;

    /**
     * @param operation  the call and its key arguments, e.g. {@code "pread(fd=7, len=4096, off=0)"}.
     * @param nativeCode the raw native error number (positive errno, CUresult, ...).
     * @param codeName   its symbolic name.
     * @param message    extra human-readable detail, may be empty.
     */
    public NativeException(final String operation, final int nativeCode, final String codeName, final String message)
    {
        super(codeName, Category.ERROR, format(operation, nativeCode, codeName, message));
        this.operation = operation;
        this.nativeCode = nativeCode;
    }

    /**
     * An exception for a failed libc call or io_uring request.
     *
     * @param operation the call and its key arguments.
     * @param errno     positive errno value.
     * @return the exception, naming the errno.
     */
    public static NativeException errno(final String operation, final int errno)
    {
        return new NativeException(operation, errno, Errno.name(errno), Errno.describe(errno));
    }

    /** @return the call that failed with its key arguments. */
    public String operation()
    {
        return operation;
    }

    /** @return the raw native error number. */
    public int nativeCode()
    {
        return nativeCode;
    }

    private static String format(final String operation, final int nativeCode, final String codeName, final String message)
    {
        final String base = operation + " failed: " + codeName + " (" + nativeCode + ")";
        return message == null || message.isEmpty() ? base : base + ": " + message;
    }
}
