package dev.conduit.core;

import java.util.Objects;

/**
 * Root of Conduit's exceptions: every failure that reaches a caller carries a stable
 * {@link ErrorCode} (and through it a {@link ErrorCategory}) and, when a native call is behind it,
 * the native {@link ErrorDomain}, code and symbolic name, e.g. {@code IO_ERROR} from errno
 * {@code EIO (5)} or {@code GPU_ERROR} from {@code CUresult CUDA_ERROR_LAUNCH_FAILED (719)}.
 *
 * <p>Subclasses add detail: the failed call and its arguments ({@code NativeException} in the
 * bindings), or a key, a namespace and an offset ({@code CorruptExtentException}).
 */
public class ConduitException extends RuntimeException
{
    private static final long serialVersionUID = 2L;

    private final ErrorCode code;
    private final ErrorDomain domain;
    private final int nativeCode;
    private final String nativeName;

    /**
     * A failure of Conduit's own, with no native code behind it.
     *
     * @param code    what failed.
     * @param message detail naming what failed.
     */
    public ConduitException(final ErrorCode code, final String message)
    {
        this(code, ErrorDomain.NONE, 0, null, message, null);
    }

    /**
     * A failure of Conduit's own caused by another exception.
     *
     * @param code    what failed.
     * @param message detail naming what failed.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public ConduitException(final ErrorCode code, final String message, final Throwable cause)
    {
        this(code, ErrorDomain.NONE, 0, null, message, cause);
    }

    /**
     * A failure with a native code behind it.
     *
     * @param code       the mapped code.
     * @param domain     where {@code nativeCode} comes from.
     * @param nativeCode the raw native number (positive errno, CUresult, ...).
     * @param nativeName its symbolic name ({@code EIO}); {@code null} means the code's name.
     * @param message    detail naming what failed.
     * @param cause      the underlying failure, may be {@code null}.
     */
    public ConduitException(
        final ErrorCode code,
        final ErrorDomain domain,
        final int nativeCode,
        final String nativeName,
        final String message,
        final Throwable cause)
    {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.nativeCode = nativeCode;
        this.nativeName = nativeName == null ? code.name() : nativeName;
    }

    /** @return the stable code of this failure. */
    public ErrorCode code()
    {
        return code;
    }

    /** @return how a caller should react. */
    public ErrorCategory category()
    {
        return code.category();
    }

    /** @return where {@link #nativeCode()} comes from; {@link ErrorDomain#NONE} when nothing native is behind it. */
    public ErrorDomain domain()
    {
        return domain;
    }

    /** @return the raw native number, 0 when {@link #domain()} is {@link ErrorDomain#NONE}. */
    public int nativeCode()
    {
        return nativeCode;
    }

    /** @return the native symbolic name ({@code EINVAL}, {@code CUDA_ERROR_NO_DEVICE}), else the code's name. */
    public String nativeName()
    {
        return nativeName;
    }
}
