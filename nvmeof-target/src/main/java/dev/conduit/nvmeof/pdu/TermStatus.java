package dev.conduit.nvmeof.pdu;

/**
 * Fatal Error Status (FES) values of a termination request: why a connection is being closed.
 */
public enum TermStatus
{
    /** A header field holds a value the receiver does not accept (FEI: the field's offset). */
    INVALID_HEADER_FIELD(0x01),
    /** A PDU arrived that the connection's state does not allow (a second ICReq, data without R2T). */
    PDU_SEQUENCE_ERROR(0x02),
    /** The header digest does not match the header. */
    HEADER_DIGEST_ERROR(0x03),
    /** A data PDU's offset or length falls outside the transfer it belongs to. */
    DATA_TRANSFER_OUT_OF_RANGE(0x04),
    /** A data PDU carries more than the negotiated maximum (MAXH2CDATA). */
    DATA_TRANSFER_LIMIT_EXCEEDED(0x05),
    /** A parameter (PFV, PDA, digest) is valid but not supported (FEI: the field's offset). */
    UNSUPPORTED_PARAMETER(0x06);

    private final int value;

    TermStatus(final int value)
    {
        this.value = value;
    }

    /** @return the FES value on the wire. */
    public int value()
    {
        return value;
    }

    /**
     * @param value an FES value.
     * @return its status, or {@code null} for a value the binding does not define.
     */
    public static TermStatus ofValue(final int value)
    {
        for (final TermStatus status : values())
        {
            if (status.value == value)
            {
                return status;
            }
        }
        return null;
    }
}
