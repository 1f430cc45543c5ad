package dev.conduit.nativebindings;

import java.util.Objects;

/**
 * Root of Conduit's exception hierarchy: every failure that reaches a caller carries a stable
 * {@link #code()} (a symbolic name scripts and metrics can key on, such as {@code ENOSPC} or
 * {@code CORRUPT_EXTENT}) and a {@link Category} that says how bad it is.
 *
 * <p>Subclasses add the native detail ({@link NativeException}) or domain detail (a key, a
 * namespace, an offset). Codes are never reused for a different meaning.
 */
public class ConduitException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** How severe a failure is, in the sense of Aeron's {@code AeronException.Category}. */
    public enum Category
    {
        /** The component cannot continue and must be restarted. */
        FATAL,
        /** The operation failed; the component keeps serving. */
        ERROR,
        /** Something degraded but the operation still completed. */
        WARN
    }

    private final String code;
    private final Category category;

    /**
     * @param code     stable symbolic code, e.g. {@code "CORRUPT_EXTENT"}.
     * @param category severity.
     * @param message  human-readable detail naming what failed.
     */
    public ConduitException(final String code, final Category category, final String message)
    {
        this(code, category, message, null);
    }

    /**
     * @param code     stable symbolic code.
     * @param category severity.
     * @param message  human-readable detail naming what failed.
     * @param cause    underlying failure, may be {@code null}.
     */
    public ConduitException(final String code, final Category category, final String message, final Throwable cause)
    {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.category = Objects.requireNonNull(category, "category");
    }

    /** @return the stable symbolic code of this failure. */
    public String code()
    {
        return code;
    }

    /** @return how severe this failure is. */
    public Category category()
    {
        return category;
    }
}
