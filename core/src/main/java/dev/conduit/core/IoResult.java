package dev.conduit.core;

/**
 * The {@code long} every completion carries: bytes transferred when {@code >= 0}, otherwise a
 * failure that names its {@link ErrorDomain} and code exactly, with no collisions between domains
 * and no allocation.
 *
 * <pre>
 *  result &lt; 0:   -result = domainId &lt;&lt; 32 | code      (code: unsigned 32 bits)
 *  errno:        domainId 0, so a kernel's -errno (an io_uring CQE's res) is already a result
 *  Conduit's:    domainId 1, code = ErrorCode.id()      e.g. SHUTDOWN = -(1 &lt;&lt; 32 | 74)
 * </pre>
 *
 * <pre>{@code
 * if (IoResult.isFailure(result) && IoResult.domain(result) == ErrorDomain.ERRNO) { ... IoResult.code(result) ... }
 * }</pre>
 */
public final class IoResult
{
    private static final long CODE_MASK = 0xFFFF_FFFFL;

    private IoResult()
    {
    }

    /**
     * @param result a completion result.
     * @return true when it counts bytes transferred.
     */
    public static boolean isSuccess(final long result)
    {
        return result >= 0;
    }

    /**
     * @param result a completion result.
     * @return true when it reports a failure.
     */
    public static boolean isFailure(final long result)
    {
        return result < 0;
    }

    /**
     * @param domain where the code comes from.
     * @param code   the native code, positive.
     * @return the failure result.
     */
    public static long failure(final ErrorDomain domain, final int code)
    {
        if (code <= 0 && domain == ErrorDomain.ERRNO)
        {
            throw new IllegalArgumentException("errno must be positive: " + code);
        }
        return -(((long)domain.id() << 32) | (code & CODE_MASK));
    }

    /**
     * @param errno a positive errno.
     * @return the failure result, {@code -errno}.
     */
    public static long errno(final int errno)
    {
        return failure(ErrorDomain.ERRNO, errno);
    }

    /**
     * @param code one of Conduit's own outcomes.
     * @return the failure result in the {@link ErrorDomain#CONDUIT} domain.
     */
    public static long of(final ErrorCode code)
    {
        return failure(ErrorDomain.CONDUIT, code.id());
    }

    /**
     * @param result a failure result.
     * @return its domain.
     */
    public static ErrorDomain domain(final long result)
    {
        requireFailure(result);
        return ErrorDomain.ofId((int)((-result) >>> 32));
    }

    /**
     * @param result a failure result.
     * @return its code within {@link #domain(long)}.
     */
    public static int code(final long result)
    {
        requireFailure(result);
        return (int)((-result) & CODE_MASK);
    }

    /**
     * @param result a failure result.
     * @return the Conduit code when the domain is {@link ErrorDomain#CONDUIT}, else {@code null}
     *         (native domains are mapped by the layer that knows them).
     */
    public static ErrorCode conduitCode(final long result)
    {
        return domain(result) == ErrorDomain.CONDUIT ? ErrorCode.ofId(code(result)) : null;
    }

    private static void requireFailure(final long result)
    {
        if (result >= 0)
        {
            throw new IllegalArgumentException("not a failure result: " + result);
        }
    }
}
