package dev.conduit.nativebindings.dynlib;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A call into a library version that does not export it, e.g.
 * {@code cuFileBatchIOSetUp: not supported by this libcufile version 1.6.0}. Code
 * {@link ErrorCode#NOT_SUPPORTED}; the caller can fall back (batch to synchronous IO, say) or report it.
 */
public final class UnsupportedCallException extends ConduitException
{

    private static final long serialVersionUID = 1L;

    private final String symbol;

    /**
     * @param symbol the missing C function.
     * @param owner  what lacks it, e.g. {@code "this libcufile version 1.6.0"}.
     */
    public UnsupportedCallException(final String symbol, final String owner)
    {
        super(ErrorCode.NOT_SUPPORTED, symbol + ": not supported by " + owner);
        this.symbol = symbol;
    }

    /** @return the C function that is missing. */
    public String symbol()
    {
        return symbol;
    }
}
