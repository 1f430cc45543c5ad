package dev.conduit.scheduler;

import java.util.concurrent.CancellationException;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.core.IoResult;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * Request results in the scheduler: an {@link IoResult} — bytes transferred when {@code >= 0},
 * otherwise a failure naming its {@link ErrorDomain} and code: the errno of a failed I/O
 * ({@code -EIO}, exactly as the kernel reports it), or one of the scheduler's own outcomes below,
 * which live in the {@link ErrorDomain#CONDUIT} domain and so never collide with an errno.
 */
public final class IoStatus
{
    /** The request's deadline passed before it completed. */
    public static final long TIMED_OUT = IoResult.of(ErrorCode.TIMED_OUT);
    /** The request was cancelled. */
    public static final long CANCELLED = IoResult.of(ErrorCode.CANCELLED);
    /** The scheduler shut down before the request ran. */
    public static final long SHUTDOWN = IoResult.of(ErrorCode.SHUTDOWN);
    /** The device failed while some of the request's I/O was in flight: its outcome is unknown. */
    public static final long DEVICE_FAILED = IoResult.of(ErrorCode.DEVICE_FAILED);
    /** The request's target was detached before the request was admitted. */
    public static final long DETACHED = IoResult.of(ErrorCode.TARGET_DETACHED);
    /** Returned by {@link IoScheduler#trySubmit} instead of a request id when the device ring is full. */
    public static final long REJECTED = IoResult.of(ErrorCode.RING_FULL);

    private IoStatus()
    {
    }

    /**
     * @param result a request result.
     * @return true when it reports success (bytes transferred).
     */
    public static boolean isSuccess(final long result)
    {
        return result >= 0;
    }

    /**
     * @param result a request result.
     * @return {@code "OK"} for success, else the native name ({@code "EIO"}) or Conduit's code
     *         ({@code "TIMED_OUT"}).
     */
    public static String name(final long result)
    {
        if (result >= 0)
        {
            return "OK";
        }
        final ErrorDomain domain = IoResult.domain(result);
        final int code = IoResult.code(result);
        return switch (domain)
        {
            case ERRNO -> Errno.name(code);
            case CONDUIT -> String.valueOf(IoResult.conduitCode(result));
            default -> domain.name() + "_" + code;
        };
    }

    /**
     * @param result a failed result.
     * @return the code a caller acts on.
     */
    public static ErrorCode errorCode(final long result)
    {
        return switch (IoResult.domain(result))
        {
            case ERRNO -> Errno.errorCode(IoResult.code(result));
            case CONDUIT -> orInternal(IoResult.conduitCode(result));
            case NVME -> ErrorCode.NVME_COMMAND_FAILED;   // the status (SCT << 8 | SC) stays the native code
            case HTTP, CUDA, CUFILE, NONE -> ErrorCode.IO_ERROR;
        };
    }

    /**
     * The result a failure thrown by a target or backend stands for, keeping its native code: an
     * errno stays the errno, a Conduit code stays that code, anything else is an
     * {@link ErrorCode#INTERNAL_ERROR} rather than a made-up {@code EIO}.
     *
     * @param failure what was thrown.
     * @return the failure result.
     */
    public static long of(final Throwable failure)
    {
        if (failure instanceof ConduitException e)
        {
            return e.domain() == ErrorDomain.NONE ? IoResult.of(e.code()) : IoResult.failure(e.domain(), e.nativeCode());
        }
        return IoResult.of(ErrorCode.INTERNAL_ERROR);
    }

    /**
     * Turns a failed result into the exception a future completes with (allocates; not for the
     * callback path).
     *
     * @param result    a negative result.
     * @param operation the request, e.g. {@code "read(file0, off=4096, len=4096)"}.
     * @return {@link CancellationException} for {@link #CANCELLED}, else a {@link ConduitException}
     *         whose {@link ConduitException#code()} says what failed and, for an errno, a
     *         {@link NativeException} that names it.
     */
    public static RuntimeException toException(final long result, final String operation)
    {
        if (result == CANCELLED)
        {
            return new CancellationException(operation + " cancelled");
        }
        final ErrorDomain domain = IoResult.domain(result);
        final int code = IoResult.code(result);
        if (domain == ErrorDomain.ERRNO)
        {
            return NativeException.errno(operation, code);
        }
        final ErrorCode errorCode = errorCode(result);
        if (domain == ErrorDomain.CONDUIT)
        {
            return new ConduitException(errorCode, operation + ": " + errorCode.meaning());
        }
        return new ConduitException(errorCode, domain, code, name(result), operation + " failed: " + name(result), null);
    }

    private static ErrorCode orInternal(final ErrorCode code)
    {
        return code == null ? ErrorCode.INTERNAL_ERROR : code;
    }
}
