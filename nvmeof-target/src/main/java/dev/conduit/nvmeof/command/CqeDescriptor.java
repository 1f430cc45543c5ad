package dev.conduit.nvmeof.command;

/**
 * The 16-byte NVMe completion queue entry.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                 DW0: command specific result                  |  0
 * +---------------------------------------------------------------+
 * |                 DW1: command specific result                  |  4
 * +-------------------------------+-------------------------------+
 * |            SQHD               |            SQID               |  8
 * +-------------------------------+-------------------------------+
 * |            CID                |  STATUS: P | SC | SCT | CRD | M | DNR  | 12
 * +-------------------------------+-------------------------------+
 * STATUS bits: 0 phase (0 on fabrics), 8:1 SC, 11:9 SCT, 13:12 CRD, 14 more, 15 DNR.
 * </pre>
 */
public final class CqeDescriptor
{
    /** Bytes of a CQE. */
    public static final int LENGTH = 16;
    /** Offset of DW0. */
    public static final int DW0_OFFSET = 0;
    /** Offset of DW1. */
    public static final int DW1_OFFSET = 4;
    /** Offset of SQHD. */
    public static final int SQHD_OFFSET = 8;
    /** Offset of SQID. */
    public static final int SQID_OFFSET = 10;
    /** Offset of CID. */
    public static final int CID_OFFSET = 12;
    /** Offset of STATUS. */
    public static final int STATUS_OFFSET = 14;

    private CqeDescriptor()
    {
    }
}
