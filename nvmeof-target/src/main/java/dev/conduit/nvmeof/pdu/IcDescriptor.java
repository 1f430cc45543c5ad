package dev.conduit.nvmeof.pdu;

/**
 * ICReq and ICResp: the first PDU each way on a connection, which negotiates the protocol version,
 * data alignment, digests and (ICResp) the largest H2CData PDU. Both are exactly 128 bytes
 * (HLEN = PLEN = 128, PDO = 0, FLAGS = 0) and never digested.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                 CH (type 0x00 ICReq / 0x01 ICResp)            |  0
 * +-------------------------------+---------------+---------------+
 * |           PFV (0)             | HPDA / CPDA   |     DGST      |  8
 * +-------------------------------+---------------+---------------+
 * |         ICReq: MAXR2T (0's based)  /  ICResp: MAXH2CDATA      | 12
 * +---------------------------------------------------------------+
 * |                        reserved (112)                         | 16..127
 * +---------------------------------------------------------------+
 * DGST: bit 0 header digest enable, bit 1 data digest enable.
 * </pre>
 */
public final class IcDescriptor
{
    /** Offset of PFV (PDU format version). */
    public static final int PFV_OFFSET = 8;
    /** Offset of HPDA (ICReq) or CPDA (ICResp). */
    public static final int PDA_OFFSET = 10;
    /** Offset of DGST. */
    public static final int DGST_OFFSET = 11;
    /** Offset of MAXR2T (ICReq) or MAXH2CDATA (ICResp). */
    public static final int MAX_OFFSET = 12;
    /** The only PDU format version defined. */
    public static final int PFV_1_0 = 0;
    /** Largest HPDA/CPDA value (alignment (PDA + 1) * 4 = 128 bytes). */
    public static final int PDA_MAX = 31;
    /** DGST bit: header digests on. */
    public static final int DGST_HEADER = 0x01;
    /** DGST bit: data digests on. */
    public static final int DGST_DATA = 0x02;
    /** Smallest MAXH2CDATA a controller may advertise. */
    public static final int MAXH2CDATA_MIN = 4096;

    private IcDescriptor()
    {
    }
}
