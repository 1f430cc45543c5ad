package dev.conduit.nativebindings.dynlib;

import dev.conduit.nativebindings.ConduitException;

/**
 * A call into a library version that does not export it, e.g.
 * {@code cuFileBatchIOSetUp: not supported by this libcufile version 1.6.0}. Code
 * {@value #CODE}; the caller can fall back (batch to synchronous IO, say) or report it.
 */
public final class UnsupportedCallException extends ConduitException
{
    /** The stable code of this failure. */
    public static final String CODE = "NOT_SUPPORTED";

    private static final long serialVersionUID = 1L;

    private final String symbol;

    /**
     * @param symbol the missing C function.
     * @param owner  what lacks it, e.g. {@code "this libcufile version 1.6.0"}.
     */
    public UnsupportedCallException(final String symbol, final String owner)
    {
        super(CODE, Category.ERROR, symbol + ": not supported by " + owner);
        this.symbol = symbol;
    }

    /** @return the C function that is missing. */
    public String symbol()
    {
        return symbol;
    }
}
