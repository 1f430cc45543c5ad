package dev.conduit.nvmeof.pdu;

/**
 * CapsuleCmd and CapsuleResp: an NVMe command (64-byte SQE, optionally followed by in-capsule data)
 * and its completion (16-byte CQE). The SQE and CQE layouts are in
 * {@link dev.conduit.nvmeof.command.SqeDescriptor} and {@link dev.conduit.nvmeof.command.CqeDescriptor}.
 *
 * <pre>
 *  CapsuleCmd (HLEN 72)                       CapsuleResp (HLEN 24)
 * +----------------------------------+       +----------------------------------+
 * | CH  type 0x04                    |  0    | CH  type 0x05                    |  0
 * +----------------------------------+       +----------------------------------+
 * | SQE (64 bytes)                   |  8    | CQE (16 bytes)                   |  8
 * +----------------------------------+       +----------------------------------+
 * | HDGST? | PAD | in-capsule data | DDGST?  (data at PDO, at most IOCCSZ * 16 - 64 bytes)
 * </pre>
 */
public final class CapsuleDescriptor
{
    /** Offset of the SQE in a CapsuleCmd and of the CQE in a CapsuleResp. */
    public static final int ENTRY_OFFSET = CommonHeaderDescriptor.LENGTH;

    private CapsuleDescriptor()
    {
    }
}
