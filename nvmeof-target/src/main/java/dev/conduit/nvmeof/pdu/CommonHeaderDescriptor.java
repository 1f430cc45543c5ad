package dev.conduit.nvmeof.pdu;

/**
 * The 8-byte common header (CH) that starts every NVMe/TCP PDU, and the PDU types and flags it
 * carries (NVMe/TCP transport binding, "PDU Header Format").
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |   PDU-Type    |     FLAGS     |     HLEN      |      PDO      |  0
 * +---------------+---------------+---------------+---------------+
 * |                         PLEN (u32 LE)                         |  4
 * +---------------------------------------------------------------+
 *
 * A PDU on the wire:  CH + PSH (HLEN bytes in all) | HDGST? | PAD | DATA | DDGST?
 *                     ^0                                           ^PDO        ^PLEN
 * </pre>
 *
 * HLEN is fixed per type; PDO is 0 for a PDU without data, else the offset of DATA, a multiple of
 * the receiver's alignment ((CPDA + 1) * 4 towards a controller, (HPDA + 1) * 4 towards a host).
 * Digests are CRC-32C, little-endian: HDGST over the first HLEN bytes, DDGST over DATA only.
 */
public final class CommonHeaderDescriptor
{
    /** Bytes of the common header. */
    public static final int LENGTH = 8;
    /** Offset of PDU-Type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of FLAGS. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of HLEN. */
    public static final int HLEN_OFFSET = 2;
    /** Offset of PDO. */
    public static final int PDO_OFFSET = 3;
    /** Offset of PLEN. */
    public static final int PLEN_OFFSET = 4;
    /** Bytes of a header or data digest. */
    public static final int DIGEST_LENGTH = 4;

    /** Initialize Connection Request (host to controller). */
    public static final int TYPE_IC_REQ = 0x00;
    /** Initialize Connection Response (controller to host). */
    public static final int TYPE_IC_RESP = 0x01;
    /** Host to Controller Terminate Connection Request. */
    public static final int TYPE_H2C_TERM_REQ = 0x02;
    /** Controller to Host Terminate Connection Request. */
    public static final int TYPE_C2H_TERM_REQ = 0x03;
    /** Command capsule (host to controller). */
    public static final int TYPE_CAPSULE_CMD = 0x04;
    /** Response capsule (controller to host). */
    public static final int TYPE_CAPSULE_RESP = 0x05;
    /** Host to Controller data. */
    public static final int TYPE_H2C_DATA = 0x06;
    /** Controller to Host data. */
    public static final int TYPE_C2H_DATA = 0x07;
    /** Ready to Transfer (controller to host). */
    public static final int TYPE_R2T = 0x09;

    /** FLAGS bit: a header digest follows the header. */
    public static final int FLAG_HDGSTF = 0x01;
    /** FLAGS bit: a data digest follows the data. */
    public static final int FLAG_DDGSTF = 0x02;
    /** FLAGS bit (H2CData, C2HData): the last data PDU of the transfer. */
    public static final int FLAG_LAST_PDU = 0x04;
    /** FLAGS bit (C2HData with LAST_PDU): the command succeeded; no response capsule follows. */
    public static final int FLAG_SUCCESS = 0x08;

    /** Header length of ICReq and ICResp. */
    public static final int IC_HLEN = 128;
    /** Header length of CapsuleCmd: CH + 64-byte SQE. */
    public static final int CAPSULE_CMD_HLEN = 72;
    /** Header length of CapsuleResp, H2CData, C2HData, R2T and the termination requests. */
    public static final int SHORT_HLEN = 24;
    /** Largest termination request: its header plus up to 128 bytes of the offending PDU header. */
    public static final int TERM_REQ_MAX_PLEN = 152;

    private CommonHeaderDescriptor()
    {
    }

    /**
     * @param type a PDU-Type value.
     * @return its fixed HLEN, or -1 for a type the binding does not define.
     */
    public static int headerLength(final int type)
    {
        return switch (type)
        {
            case TYPE_IC_REQ, TYPE_IC_RESP -> IC_HLEN;
            case TYPE_CAPSULE_CMD -> CAPSULE_CMD_HLEN;
            case TYPE_H2C_TERM_REQ, TYPE_C2H_TERM_REQ, TYPE_CAPSULE_RESP, TYPE_H2C_DATA, TYPE_C2H_DATA, TYPE_R2T ->
                SHORT_HLEN;
            default -> -1;
        };
    }

    /**
     * @param type a PDU-Type value.
     * @return whether a host sends it (else a controller does, or nobody).
     */
    public static boolean sentByHost(final int type)
    {
        return type == TYPE_IC_REQ || type == TYPE_H2C_TERM_REQ || type == TYPE_CAPSULE_CMD || type == TYPE_H2C_DATA;
    }

    /**
     * @param type a PDU-Type value.
     * @return whether a controller sends it.
     */
    public static boolean sentByController(final int type)
    {
        return type == TYPE_IC_RESP || type == TYPE_C2H_TERM_REQ || type == TYPE_CAPSULE_RESP
            || type == TYPE_C2H_DATA || type == TYPE_R2T;
    }

    /** @return a short name for messages ({@code CapsuleCmd}), {@code type 0x..} when undefined. */
    public static String name(final int type)
    {
        return switch (type)
        {
            case TYPE_IC_REQ -> "ICReq";
            case TYPE_IC_RESP -> "ICResp";
            case TYPE_H2C_TERM_REQ -> "H2CTermReq";
            case TYPE_C2H_TERM_REQ -> "C2HTermReq";
            case TYPE_CAPSULE_CMD -> "CapsuleCmd";
            case TYPE_CAPSULE_RESP -> "CapsuleResp";
            case TYPE_H2C_DATA -> "H2CData";
            case TYPE_C2H_DATA -> "C2HData";
            case TYPE_R2T -> "R2T";
            default -> "type 0x" + Integer.toHexString(type);
        };
    }

    /** @return whether PDUs of this type may carry data. */
    static boolean carriesData(final int type)
    {
        return type == TYPE_CAPSULE_CMD || type == TYPE_H2C_DATA || type == TYPE_C2H_DATA
            || type == TYPE_H2C_TERM_REQ || type == TYPE_C2H_TERM_REQ;
    }

    /** @return whether PDUs of this type are digested once digests are negotiated. */
    static boolean digested(final int type)
    {
        return type != TYPE_IC_REQ && type != TYPE_IC_RESP && type != TYPE_H2C_TERM_REQ && type != TYPE_C2H_TERM_REQ;
    }
}
