package dev.conduit.nvmeof.pdu;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A PDU that breaks the transport binding: carries the {@link TermStatus} and field offset to put in
 * the termination request that answers it. The connection that received it is closed.
 */
public final class PduException extends ConduitException
{
    private static final long serialVersionUID = 1L;

    private final transient TermStatus status;
    private final int fieldOffset;

    /**
     * @param status      the fatal error status to answer with.
     * @param fieldOffset byte offset of the offending field in the PDU (FEI), 0 when none applies.
     * @param message     what was wrong, naming the field and the value.
     */
    public PduException(final TermStatus status, final int fieldOffset, final String message)
    {
        super(ErrorCode.NVMF_PROTOCOL_ERROR, status + " at byte " + fieldOffset + ": " + message);
        this.status = status;
        this.fieldOffset = fieldOffset;
    }

    /** @return the fatal error status (FES). */
    public TermStatus status()
    {
        return status;
    }

    /** @return the offending field's byte offset (FEI). */
    public int fieldOffset()
    {
        return fieldOffset;
    }
}
