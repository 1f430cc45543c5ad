package dev.conduit.nvmeof.target;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * The Identify data structures (4096 bytes each) this target returns: controller (CNS 0x01),
 * namespace (0x00), active namespace list (0x02), namespace identification descriptors (0x03). Offsets
 * are those of the NVMe base specification's Identify Controller / Namespace data structures.
 */
final class IdentifyPages
{
    /** Bytes of every Identify data structure. */
    static final int LENGTH = 4096;
    /** Identify Controller: CNTRLTYPE values. */
    private static final int CNTRLTYPE_IO = 1;
    private static final int CNTRLTYPE_DISCOVERY = 2;
    private static final byte SPACE = ' ';

    private IdentifyPages()
    {
    }

    /** Fills Identify Controller for {@code controller} into {@code out} (already zeroed). */
    static void controller(final Controller controller, final NvmfTargetConfig config, final MemorySegment out)
    {
        final Subsystem subsystem = controller.subsystem();
        Wire.putAscii(out, 4, 20, subsystem == null ? "conduit-discovery" : subsystem.serial(), SPACE);   // SN
        Wire.putAscii(out, 24, 40, "Conduit NVMe/TCP", SPACE);                                               // MN
        Wire.putAscii(out, 64, 8, "0.1", SPACE);                                                             // FR
        Wire.put8(out, 72, 6);                                                                               // RAB
        Wire.put8(out, 76, subsystem == null ? 0 : 0x02);                                                    // CMIC: multi-controller
        Wire.put8(out, 77, Integer.numberOfTrailingZeros(config.maxDataTransferBytes() / 4096));            // MDTS
        Wire.put16(out, 78, controller.cntlid());                                                            // CNTLID
        Wire.put32(out, 80, FabricsHandler.VERSION);                                                         // VER
        Wire.put8(out, 111, subsystem == null ? CNTRLTYPE_DISCOVERY : CNTRLTYPE_IO);                         // CNTRLTYPE
        Wire.put8(out, 258, 3);                                                                              // ACL
        Wire.put8(out, 259, Controller.AER_LIMIT - 1);                                                       // AERL
        Wire.put8(out, 260, subsystem == null ? 0 : 0x03);                                                   // FRMW: slot 1 read-only, 1 slot
        // LPA: extended data; an NVM controller also has the effects log (a host reads it when this bit says so).
        Wire.put8(out, 261, subsystem == null ? 0x04 : 0x07);
        Wire.put16(out, 320, 1);                                                                             // KAS: 100 ms granularity
        Wire.put8(out, 512, 0x66);                                                                           // SQES
        Wire.put8(out, 513, 0x44);                                                                           // CQES
        Wire.put16(out, 514, config.maxQueueEntries());                                                      // MAXCMD
        Wire.put32(out, 516, subsystem == null ? 0 : subsystem.namespaceIdCount());                          // NN
        // OAES bit 8: Namespace Attribute Notices (namespaces attached or detached while running).
        Wire.put32(out, 92, subsystem == null ? 0 : 1 << 8);
        Wire.put16(out, 520, subsystem == null ? 0 : 0x0C);                                                  // ONCS: DSM, Write Zeroes
        Wire.put8(out, 525, subsystem == null ? 0 : 0x01);                                                   // VWC present
        Wire.put32(out, 536, 0x1 | (1 << 20));                                                               // SGLS: SGLs, SGL offset (in-capsule)
        Wire.putAscii(out, 768, 256, subsystem == null ? Subsystem.DISCOVERY_NQN : subsystem.nqn(), (byte)0); // SUBNQN
        Wire.put32(out, 1792, (64 + config.inCapsuleDataBytes()) / 16);                                      // IOCCSZ
        Wire.put32(out, 1796, 1);                                                                            // IORCSZ
        Wire.put8(out, 1803, 1);                                                                             // MSDBD
    }

    /** Fills Identify Namespace for an active namespace. */
    static void namespace(final Subsystem subsystem, final long nsid, final Namespace namespace, final MemorySegment out)
    {
        final long blocks = namespace.capacityBytes() / namespace.blockSize();
        Wire.put64(out, 0, blocks);                                                  // NSZE
        Wire.put64(out, 8, blocks);                                                  // NCAP
        Wire.put64(out, 16, blocks);                                                 // NUSE
        Wire.put8(out, 30, 0x01);                                                    // NMIC: may be shared
        Wire.put8(out, 33, 0x01);                                                    // DLFEAT: deallocated blocks read as zeroes
        final UUID id = uuid(subsystem, nsid);
        Wire.put64(out, 104, Long.reverseBytes(id.getMostSignificantBits()));        // NGUID, same bytes as the descriptor
        Wire.put64(out, 112, Long.reverseBytes(id.getLeastSignificantBits()));
        Wire.put8(out, 128 + 2, Integer.numberOfTrailingZeros(namespace.blockSize())); // LBAF0.LBADS
    }

    /** Fills the active namespace ID list: IDs above {@code afterNsid}, ascending. */
    static void activeNamespaces(final Subsystem subsystem, final long afterNsid, final MemorySegment out)
    {
        int index = 0;
        for (long nsid = afterNsid + 1; nsid <= subsystem.namespaceIdCount() && index < LENGTH / 4; nsid++)
        {
            if (subsystem.namespace(nsid) != null)
            {
                Wire.put32(out, 4L * index++, (int)nsid);
            }
        }
    }

    /** Fills the namespace identification descriptor list: NGUID, UUID and CSI (NVM). */
    static void namespaceDescriptors(final Subsystem subsystem, final long nsid, final MemorySegment out)
    {
        final UUID id = uuid(subsystem, nsid);
        int at = 0;
        for (final int type : new int[] {2, 3})
        {
            Wire.put8(out, at, type);
            Wire.put8(out, at + 1, 16);
            Wire.put64(out, at + 4, Long.reverseBytes(id.getMostSignificantBits()));
            Wire.put64(out, at + 12, Long.reverseBytes(id.getLeastSignificantBits()));
            at += 20;
        }
        Wire.put8(out, at, 4);      // CSI
        Wire.put8(out, at + 1, 1);
        Wire.put8(out, at + 4, 0);  // NVM command set
    }

    /** A stable identity per (subsystem, NSID): the same across restarts of the target. */
    static UUID uuid(final Subsystem subsystem, final long nsid)
    {
        return UUID.nameUUIDFromBytes((subsystem.nqn() + "/" + nsid).getBytes(StandardCharsets.UTF_8));
    }
}
