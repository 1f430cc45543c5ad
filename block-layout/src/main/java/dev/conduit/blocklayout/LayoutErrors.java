package dev.conduit.blocklayout;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * One factory per store failure, so every site that raises one says the same thing the same way.
 * The codes themselves are {@link ErrorCode}s.
 */
public final class LayoutErrors
{
    private LayoutErrors()
    {
    }

    /**
     * @param code    what failed.
     * @param message detail naming what failed.
     * @return the exception.
     */
    public static ConduitException error(final ErrorCode code, final String message)
    {
        return new ConduitException(code, message);
    }

    /**
     * @param code    what failed.
     * @param message detail naming what failed.
     * @param cause   the underlying failure.
     * @return the exception.
     */
    public static ConduitException error(final ErrorCode code, final String message, final Throwable cause)
    {
        return new ConduitException(code, message, cause);
    }

    /**
     * @param key the missing key.
     * @return {@link ErrorCode#NOT_FOUND}.
     */
    public static ConduitException notFound(final String key)
    {
        return error(ErrorCode.NOT_FOUND, "no such key: " + key);
    }

    /**
     * @param what    the structure, e.g. "checkpoint".
     * @param message what is wrong with it.
     * @return {@link ErrorCode#CORRUPT}.
     */
    public static ConduitException corrupt(final String what, final String message)
    {
        return error(ErrorCode.CORRUPT, what + ": " + message);
    }
}
