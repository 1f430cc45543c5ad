package dev.conduit.nvmeof.target;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import dev.conduit.nvmeof.pdu.Wire;

/**
 * The log pages this target returns: Discovery (0x70), Error Information (0x01), SMART / Health
 * (0x02), Firmware Slot (0x03), Commands Supported and Effects (0x05) and Asymmetric Namespace Access (0x0C, with no
 * groups: ANA is not reported). Each is built whole into a scratch segment; the caller copies the
 * range the host asked for (LPO, NUMD).
 */
final class LogPages
{
    /** LID: Error Information. */
    static final int ERROR = 0x01;
    /** LID: Firmware Slot Information. */
    static final int FIRMWARE_SLOT = 0x03;
    /** LID: SMART / Health Information. */
    static final int SMART = 0x02;
    /** LID: Commands Supported and Effects. */
    static final int EFFECTS = 0x05;
    /** LID: Asymmetric Namespace Access. */
    static final int ANA = 0x0C;
    /** LID: Changed Namespace List. */
    static final int CHANGED_NAMESPACES = 0x04;
    /** LID: Discovery. */
    static final int DISCOVERY = 0x70;

    /** Discovery log: header bytes, entry bytes. */
    static final int DISCOVERY_HEADER_BYTES = 1024;
    static final int DISCOVERY_ENTRY_BYTES = 1024;
    private static final int TRTYPE_TCP = 3;
    private static final int ADRFAM_IPV4 = 1;
    private static final int ADRFAM_IPV6 = 2;
    private static final int SUBTYPE_NVM = 2;
    private static final int TREQ_SECURE_CHANNEL_NOT_REQUIRED = 0x02;
    private static final int ERROR_ENTRY_BYTES = 64;
    private static final int SMART_BYTES = 512;
    private static final int EFFECTS_BYTES = 4096;
    private static final int ANA_HEADER_BYTES = 16;
    private static final int CSUPP = 0x1;
    /** Commands Supported and Effects: LBCC (logical block content change). */
    private static final int LBCC = 0x2;

    private LogPages()
    {
    }

    /**
     * @return the byte size of log {@code lid} for this controller, or -1 when it does not have it.
     */
    static int size(final Controller controller, final int lid)
    {
        final boolean discovery = controller.discovery();
        return switch (lid)
        {
            case DISCOVERY -> discovery ? DISCOVERY_HEADER_BYTES + DISCOVERY_ENTRY_BYTES * subsystemsFor(controller).size() : -1;
            case ERROR -> discovery ? -1 : ERROR_ENTRY_BYTES;
            case CHANGED_NAMESPACES -> discovery ? -1 : Controller.CHANGED_NAMESPACE_LOG_BYTES;
            case SMART, FIRMWARE_SLOT -> discovery ? -1 : SMART_BYTES;
            case EFFECTS -> discovery ? -1 : EFFECTS_BYTES;
            case ANA -> discovery ? -1 : ANA_HEADER_BYTES;
            default -> -1;
        };
    }

    /**
     * Fills log {@code lid} into {@code out}, zeroed and at least {@link #size} bytes.
     *
     * @param retainEvent RAE: reading the Changed Namespace List does not clear it nor rearm its event.
     */
    static void fill(final Controller controller, final QueueConnection queue, final int lid, final MemorySegment out, final boolean retainEvent)
    {
        switch (lid)
        {
            case CHANGED_NAMESPACES -> controller.changedNamespaces(out, retainEvent);
            case DISCOVERY -> discovery(controller, queue, out);
            case SMART ->
            {
                Wire.put8(out, 3, 100);   // available spare: 100 %
                Wire.put8(out, 4, 10);    // available spare threshold
            }
            case EFFECTS -> effects(out);
            case FIRMWARE_SLOT ->
            {
                Wire.put8(out, 0, 1);    // AFI: slot 1 active
                Wire.putAscii(out, 8, 8, "0.1", (byte)' ');
            }
            default ->
            {
                // Error Information and ANA: all zeroes (no errors logged, no ANA groups).
            }
        }
    }

    private static List<Subsystem> subsystemsFor(final Controller controller)
    {
        return controller.target().subsystems().stream().filter(s -> s.allows(controller.hostNqn())).toList();
    }

    private static void discovery(final Controller controller, final QueueConnection queue, final MemorySegment out)
    {
        final List<Subsystem> visible = subsystemsFor(controller);
        final NvmfTarget target = controller.target();
        Wire.put64(out, 0, target.discoveryGeneration());   // GENCTR
        Wire.put64(out, 8, visible.size());                  // NUMREC
        Wire.put16(out, 16, 0);                              // RECFMT
        final String address = queue.localAddress();
        final int adrfam = isIpv6(address) ? ADRFAM_IPV6 : ADRFAM_IPV4;
        long at = DISCOVERY_HEADER_BYTES;
        for (final Subsystem subsystem : visible)
        {
            Wire.put8(out, at, TRTYPE_TCP);
            Wire.put8(out, at + 1, adrfam);
            Wire.put8(out, at + 2, SUBTYPE_NVM);
            Wire.put8(out, at + 3, TREQ_SECURE_CHANNEL_NOT_REQUIRED);
            Wire.put16(out, at + 4, 1);                      // PORTID
            Wire.put16(out, at + 6, 0xFFFF);                 // CNTLID: dynamic controller model
            Wire.put16(out, at + 8, 32);                     // ASQSZ
            Wire.putAscii(out, at + 32, 32, Integer.toString(target.localAddress().getPort()), (byte)0);
            Wire.putAscii(out, at + 256, 256, subsystem.nqn(), (byte)0);
            Wire.putAscii(out, at + 512, 256, address, (byte)0);
            // TSAS for TCP: SECTYPE 0 (no security), already zero.
            at += DISCOVERY_ENTRY_BYTES;
        }
    }

    private static boolean isIpv6(final String address)
    {
        try
        {
            return InetAddress.getByName(address).getAddress().length == 16;
        }
        catch (final UnknownHostException e)
        {
            return false;
        }
    }

    private static void effects(final MemorySegment out)
    {
        for (final int opcode : new int[] {0x02, 0x06, 0x08, 0x09, 0x0A, 0x0C, 0x18})
        {
            Wire.put32(out, 4L * opcode, CSUPP);
        }
        final int io = 1024;
        Wire.put32(out, io + 4L * 0x00, CSUPP);
        Wire.put32(out, io + 4L * 0x01, CSUPP | LBCC);
        Wire.put32(out, io + 4L * 0x02, CSUPP);
        Wire.put32(out, io + 4L * 0x08, CSUPP | LBCC);
        Wire.put32(out, io + 4L * 0x09, CSUPP | LBCC);
    }
}
