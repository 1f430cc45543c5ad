package dev.conduit.nvmeof.pdu;

/**
 * H2CData, C2HData and R2T: the PDUs that move a command's data outside its capsule. They share
 * one layout; HLEN is 24 for all three.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |             CH (0x06 H2CData / 0x07 C2HData / 0x09 R2T)       |  0
 * +-------------------------------+-------------------------------+
 * |            CCCID              |  TTAG (H2CData, R2T; else 0)  |  8
 * +-------------------------------+-------------------------------+
 * |            DATAO (data PDUs) / R2TO (R2T): byte offset        | 12
 * +---------------------------------------------------------------+
 * |            DATAL (data PDUs) / R2TL (R2T): byte length        | 16
 * +---------------------------------------------------------------+
 * |                         reserved                              | 20
 * +---------------------------------------------------------------+
 * Data PDUs: DATAL equals the PDU's data length; FLAGS bit 2 LAST_PDU, bit 3 SUCCESS (C2HData).
 * </pre>
 */
public final class DataPduDescriptor
{
    /** Offset of CCCID: the command identifier of the capsule this data belongs to. */
    public static final int CCCID_OFFSET = 8;
    /** Offset of TTAG: the transfer tag the controller chose in its R2T. */
    public static final int TTAG_OFFSET = 10;
    /** Offset of DATAO / R2TO. */
    public static final int OFFSET_OFFSET = 12;
    /** Offset of DATAL / R2TL. */
    public static final int LENGTH_OFFSET = 16;

    private DataPduDescriptor()
    {
    }
}
