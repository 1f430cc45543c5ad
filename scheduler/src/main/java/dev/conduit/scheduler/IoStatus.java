package dev.conduit.scheduler;

import java.util.concurrent.CancellationException;

import dev.conduit.nativebindings.ConduitException;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * Request result codes. A result {@code >= 0} is the number of bytes transferred; a negative result
 * is {@code -errno}: the errno of the failed I/O (e.g. {@code -EIO}), or one of the scheduler's own
 * outcomes, which reuse the errno numbers that mean the same thing so that
 * {@link Errno#name(int)} names every failure.
 */
public final class IoStatus
{
    /** The request's deadline passed before it completed: {@code -ETIME}. */
    public static final long TIMED_OUT = -Errno.ETIME;
    /** The request was cancelled: {@code -ECANCELED}. */
    public static final long CANCELLED = -Errno.ECANCELED;
    /** The scheduler shut down before the request ran: {@code -ESHUTDOWN}. */
    public static final long SHUTDOWN = -108;
    /** The request's target was detached before the request was admitted: {@code -EBADF}. */
    public static final long DETACHED = -Errno.EBADF;
    /** Returned by {@link IoScheduler#trySubmit} instead of a request id when the device ring is full. */
    public static final long REJECTED = -1;

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
     * @return {@code "OK"} for success, else the errno name ({@code "EIO"}, {@code "ETIME"}, ...).
     */
    public static String name(final long result)
    {
        return result >= 0 ? "OK" : Errno.name((int)-result);
    }

    /**
     * Turns a failed result into the exception a future completes with (allocates; not for the
     * callback path).
     *
     * @param result    a negative result.
     * @param operation the request, e.g. {@code "read(file0, off=4096, len=4096)"}.
     * @return {@link CancellationException} for {@link #CANCELLED}, else a {@link NativeException}
     *         whose {@link ConduitException#code()} is the errno name.
     */
    public static RuntimeException toException(final long result, final String operation)
    {
        final int errno = (int)-result;
        if (result == CANCELLED)
        {
            return new CancellationException(operation + " cancelled");
        }
        if (result == TIMED_OUT)
        {
            return new NativeException(operation, errno, Errno.name(errno), "deadline passed before completion");
        }
        if (result == DETACHED)
        {
            return new NativeException(operation, errno, Errno.name(errno), "the target was detached");
        }
        if (result == SHUTDOWN)
        {
            return new NativeException(operation, errno, Errno.name(errno), "the scheduler shut down");
        }
        return NativeException.errno(operation, errno);
    }
}
