package dev.conduit.nvmeof.command;

/**
 * The 64-byte NVMe submission queue entry as a fabrics capsule carries it (SGLs only, no PRPs), and
 * the fabrics command fields that overlay it (opcode 0x7F).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * |    OPCODE     |  FLAGS (PSDT) |             CID               |  0  CDW0
 * +---------------+---------------+-------------------------------+
 * |          NSID (fabrics: FCTYPE in byte 4)                     |  4  CDW1
 * +---------------------------------------------------------------+
 * |          CDW2, CDW3 (reserved)                                |  8
 * +---------------------------------------------------------------+
 * |          MPTR (u64)                                           | 16
 * +---------------------------------------------------------------+
 * |          SGL1: ADDRESS (u64)                                  | 24
 * +---------------------------------------------------------------+
 * |          SGL1: LENGTH (u32)                                   | 32
 * +-----------------------------------------------+---------------+
 * |          SGL1: reserved (3)                   | SGL1: TYPE    | 36
 * +-----------------------------------------------+---------------+
 * |  CDW10 | CDW11 | CDW12 | CDW13 | CDW14 | CDW15  (u32 each)    | 40..63
 * +---------------------------------------------------------------+
 * SGL TYPE: high nibble descriptor type, low nibble subtype. 0x01 = data block, offset (in-capsule
 * data at ADDRESS bytes into the capsule data); 0x5A = transport data block (data moved by R2T /
 * H2CData or C2HData).
 * </pre>
 */
public final class SqeDescriptor
{
    /** Bytes of an SQE. */
    public static final int LENGTH = 64;
    /** Offset of OPCODE. */
    public static final int OPCODE_OFFSET = 0;
    /** Offset of FLAGS (FUSE bits 1:0, PSDT bits 7:6). */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of CID. */
    public static final int CID_OFFSET = 2;
    /** Offset of NSID. */
    public static final int NSID_OFFSET = 4;
    /** Offset of FCTYPE in a fabrics command. */
    public static final int FCTYPE_OFFSET = 4;
    /** Offset of SGL1's address. */
    public static final int SGL_ADDRESS_OFFSET = 24;
    /** Offset of SGL1's length. */
    public static final int SGL_LENGTH_OFFSET = 32;
    /** Offset of SGL1's type byte. */
    public static final int SGL_TYPE_OFFSET = 39;
    /** Offset of CDW10. */
    public static final int CDW10_OFFSET = 40;
    /** Offset of CDW11. */
    public static final int CDW11_OFFSET = 44;
    /** Offset of CDW12. */
    public static final int CDW12_OFFSET = 48;
    /** Offset of CDW13. */
    public static final int CDW13_OFFSET = 52;
    /** Offset of CDW14. */
    public static final int CDW14_OFFSET = 56;
    /** Offset of CDW15. */
    public static final int CDW15_OFFSET = 60;

    /** FLAGS value: PSDT = 01b, SGLs for data (the only kind fabrics allow). */
    public static final int FLAGS_PSDT_SGL = 0x40;
    /** FLAGS mask of PSDT. */
    public static final int FLAGS_PSDT_MASK = 0xC0;
    /** SGL TYPE: data block descriptor, offset subtype: in-capsule data. */
    public static final int SGL_TYPE_IN_CAPSULE = 0x01;
    /** SGL TYPE: transport data block descriptor, transport-specific subtype A: R2T/C2HData. */
    public static final int SGL_TYPE_TRANSPORT = 0x5A;

    /** Connect: RECFMT (u16). */
    public static final int CONNECT_RECFMT_OFFSET = 40;
    /** Connect: QID (u16). */
    public static final int CONNECT_QID_OFFSET = 42;
    /** Connect: SQSIZE (u16, 0's based). */
    public static final int CONNECT_SQSIZE_OFFSET = 44;
    /** Connect: CATTR (u8; bit 2 = disable SQ flow control). */
    public static final int CONNECT_CATTR_OFFSET = 46;
    /** Connect: KATO in milliseconds (u32). */
    public static final int CONNECT_KATO_OFFSET = 48;
    /** Property Get/Set: ATTRIB (u8; bit 0 = 8-byte property). */
    public static final int PROPERTY_ATTRIB_OFFSET = 40;
    /** Property Get/Set: OFST (u32). */
    public static final int PROPERTY_OFFSET_OFFSET = 44;
    /** Property Set: VALUE (u64). */
    public static final int PROPERTY_VALUE_OFFSET = 48;

    /** Connect data: bytes in all. */
    public static final int CONNECT_DATA_LENGTH = 1024;
    /** Connect data: HOSTID (16 bytes). */
    public static final int CONNECT_DATA_HOSTID_OFFSET = 0;
    /** Connect data: CNTLID (u16; 0xFFFF = allocate one). */
    public static final int CONNECT_DATA_CNTLID_OFFSET = 16;
    /** Connect data: SUBNQN (256 bytes). */
    public static final int CONNECT_DATA_SUBNQN_OFFSET = 256;
    /** Connect data: HOSTNQN (256 bytes). */
    public static final int CONNECT_DATA_HOSTNQN_OFFSET = 512;
    /** Width of an NQN field. */
    public static final int NQN_LENGTH = 256;

    private SqeDescriptor()
    {
    }
}
