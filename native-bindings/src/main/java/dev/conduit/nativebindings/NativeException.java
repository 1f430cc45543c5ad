package dev.conduit.nativebindings;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;

/**
 * A native call failed: carries the call's name, its key arguments, and the native error number
 * with its domain and symbolic name ({@code errno}, {@code CUresult} or a cuFile error), so a log
 * line like {@code pread(fd=7, len=4096, off=12288) failed: EINVAL (22)} says everything needed.
 *
 * <p>{@link #code()} is the mapped {@link ErrorCode} ({@code INVALID_ARGUMENT});
 * {@link #nativeName()} the symbolic native name ({@code "EINVAL"}, {@code "CUDA_ERROR_NO_DEVICE"}).
 */
public class NativeException extends ConduitException
{
    private static final long serialVersionUID = 2L;

    private final String operation;

    /**
     * @param code       the mapped code.
     * @param domain     where {@code nativeCode} comes from.
     * @param operation  the call and its key arguments, e.g. {@code "pread(fd=7, len=4096, off=0)"}.
     * @param nativeCode the raw native error number (positive errno, CUresult, ...).
     * @param nativeName its symbolic name.
     * @param message    extra human-readable detail, may be empty.
     */
    public NativeException(
        final ErrorCode code,
        final ErrorDomain domain,
        final String operation,
        final int nativeCode,
        final String nativeName,
        final String message)
    {
        super(code, domain, nativeCode, nativeName, format(operation, nativeCode, nativeName, message), null);
        this.operation = operation;
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
        return errno(operation, errno, Errno.describe(errno));
    }

    /**
     * An exception for a failed libc call or io_uring request, with a detail of the caller's.
     *
     * @param operation the call and its key arguments.
     * @param errno     positive errno value.
     * @param message   detail, may be empty.
     * @return the exception, naming the errno.
     */
    public static NativeException errno(final String operation, final int errno, final String message)
    {
        return new NativeException(Errno.errorCode(errno), ErrorDomain.ERRNO, operation, errno, Errno.name(errno), message);
    }

    /** @return the call that failed with its key arguments. */
    public String operation()
    {
        return operation;
    }

    /**
     * @return the library's own text: the message without the {@code "op failed: NAME (n)"} prefix
     *         that this class adds.
     */
    public String detail()
    {
        final String prefix = format(operation, nativeCode(), nativeName(), null);
        final String message = getMessage();
        if (!message.startsWith(prefix))
        {
            return message;
        }
        final String rest = message.substring(prefix.length());
        return rest.startsWith(": ") ? rest.substring(2) : rest;
    }

    private static String format(final String operation, final int nativeCode, final String codeName, final String message)
    {
        final String base = operation + " failed: " + codeName + " (" + nativeCode + ")";
        return message == null || message.isEmpty() ? base : base + ": " + message;
    }
}
