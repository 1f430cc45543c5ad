package dev.conduit.nvmeof.pdu;

/**
 * H2CTermReq and C2HTermReq: a fatal transport error. The sender stops, sends this and closes the
 * connection. HLEN is 24; the data (never digested) is a copy of the offending PDU's header, at most
 * 128 bytes, so PLEN is 24..152.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |             CH (0x02 H2CTermReq / 0x03 C2HTermReq)            |  0
 * +-------------------------------+-------------------------------+
 * |   FES (fatal error status)    |  FEI (field error info) lo    |  8
 * +-------------------------------+-------------------------------+
 * |           FEI hi              |          reserved             | 12
 * +-------------------------------+-------------------------------+
 * |                          reserved                             | 16..23
 * +---------------------------------------------------------------+
 * FEI: for an invalid header field, the byte offset of the field; for a header digest error, the
 * digest that was received; otherwise 0.
 * </pre>
 */
public final class TermReqDescriptor
{
    /** Offset of FES. */
    public static final int FES_OFFSET = 8;
    /** Offset of FEI. */
    public static final int FEI_OFFSET = 10;
    /** Most bytes of the offending PDU copied into the request. */
    public static final int MAX_COPIED_BYTES = CommonHeaderDescriptor.TERM_REQ_MAX_PLEN - CommonHeaderDescriptor.SHORT_HLEN;

    private TermReqDescriptor()
    {
    }
}
