package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;

/**
 * Interprets a CQE {@code res}: non-negative is success (bytes or 0), negative is {@code -errno}.
 * The hot path only tests {@link #isError}; names and exceptions are for the error path.
 */
public final class CompletionResult
{
    private CompletionResult()
    {
    }

    /**
     * @param result a CQE result.
     * @return true when it reports a failure.
     */
    public static boolean isError(final int result)
    {
        return result < 0;
    }

    /**
     * @param result a CQE result.
     * @return the errno name ({@code "EINVAL"}) for a failure, {@code "OK"} for success.
     */
    public static String errnoName(final int result)
    {
        return result < 0 ? Errno.name(-result) : "OK";
    }

    /**
     * @param operation what the request was, with its key arguments, e.g. {@code "read(fd=7, off=4096)"}.
     * @param result    a negative CQE result.
     * @return an exception naming the operation and the errno.
     * @throws IllegalArgumentException when {@code result} is not an error.
     */
    public static NativeException toException(final String operation, final int result)
    {
        if (result >= 0)
        {
            throw new IllegalArgumentException("result " + result + " of " + operation + " is not an error");
        }
        return NativeException.errno(operation, -result);
    }

    /**
     * @param result    a CQE result.
     * @param operation what the request was, for the message.
     * @return {@code result} when it is a success.
     * @throws NativeException naming the errno when it is a failure.
     */
    public static int check(final int result, final String operation)
    {
        if (result < 0)
        {
            throw NativeException.errno(operation, -result);
        }
        return result;
    }
}
