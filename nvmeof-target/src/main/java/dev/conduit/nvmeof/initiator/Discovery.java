package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * Asks a discovery controller ({@value #DISCOVERY_NQN}) which subsystems a host may connect to: the
 * Discovery log page (0x70), read whole and consistent (the generation counter read before and
 * after the entries must match, else it is read again, a bounded number of times).
 *
 * <pre>{@code
 * for (Discovery.Entry e : Discovery.discover(new InetSocketAddress("10.0.0.1", 4420), HostQueue.Options.of(hostNqn)))
 * {
 *     System.out.println(e.uri());
 * }
 * }</pre>
 */
public final class Discovery
{
    /** The well-known NQN of a discovery subsystem. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    private static final int LID_DISCOVERY = 0x70;
    private static final int HEADER_BYTES = 1024;
    private static final int ENTRY_BYTES = 1024;
    /** More entries than any target here has; bounds what a peer can make us allocate. */
    private static final int MAX_ENTRIES = 1024;
    private static final int ATTEMPTS = 5;

    private Discovery()
    {
    }

    /**
     * One Discovery log entry.
     *
     * @param transport the transport (TRTYPE: {@code tcp}, {@code rdma}, {@code fc}, {@code loop}, or its number).
     * @param family    the address family (ADRFAM: {@code ipv4}, {@code ipv6}, ...).
     * @param subtype   {@code nvm} (an NVM subsystem), {@code discovery} (a referral) or {@code current-discovery}.
     * @param portId    the port ID.
     * @param address   TRADDR.
     * @param service   TRSVCID (the TCP port for NVMe/TCP).
     * @param nqn       the subsystem NQN.
     */
    public record Entry(String transport, String family, String subtype, int portId, String address, String service, String nqn)
    {
        /** @return {@code nvmf://ADDRESS:SERVICE/NQN}: append {@code /NSID} for a namespace spec. */
        public String uri()
        {
            return NvmfUri.SCHEME + (address.contains(":") ? "[" + address + "]" : address) + ":" + service + "/" + nqn;
        }
    }

    /**
     * Connects to the discovery controller at {@code address}, reads the log and disconnects.
     *
     * @param address the discovery service (usually port 8009 or 4420).
     * @param options host NQN, digests, timeouts.
     * @return the entries this host may see, in log order.
     */
    public static List<Entry> discover(final InetSocketAddress address, final HostQueue.Options options)
    {
        try (HostController controller = HostController.connect(address, options, DISCOVERY_NQN, 0);
             Arena arena = Arena.ofShared())   // the queue's reading thread fills the pages
        {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++)
            {
                final MemorySegment header = logPage(controller, arena, 0, HEADER_BYTES);
                final long generation = Wire.u64(header, 0);
                final long records = Wire.u64(header, 8);
                if (records < 0 || records > MAX_ENTRIES)
                {
                    throw new ConduitException(ErrorCode.NOT_SUPPORTED, "discovery log at " + address + " claims " + records
                        + " entries; at most " + MAX_ENTRIES + " are read");
                }
                final List<Entry> entries = new ArrayList<>((int)records);
                if (records > 0)
                {
                    final MemorySegment page = logPage(controller, arena, HEADER_BYTES, (int)records * ENTRY_BYTES);
                    for (int i = 0; i < records; i++)
                    {
                        entries.add(entry(page.asSlice((long)i * ENTRY_BYTES, ENTRY_BYTES)));
                    }
                }
                if (Wire.u64(logPage(controller, arena, 0, 16), 0) == generation)
                {
                    return entries;
                }
            }
            throw new ConduitException(ErrorCode.TRY_AGAIN, "discovery log at " + address + " kept changing while read (" + ATTEMPTS + " attempts)");
        }
    }

    private static MemorySegment logPage(final HostController controller, final Arena arena, final long offsetBytes, final int lengthBytes)
    {
        final MemorySegment page = arena.allocate(lengthBytes, 8);
        final MemorySegment sqe = arena.allocate(64, 8);
        controller.adminCommand(Sqes.getLogPage(sqe, LID_DISCOVERY, 0, offsetBytes, lengthBytes), page, "Get Log Page (discovery)");
        return page;
    }

    private static final Map<Integer, String> TRANSPORTS = Map.of(1, "rdma", 2, "fc", 3, "tcp", 254, "loop");
    private static final Map<Integer, String> FAMILIES = Map.of(1, "ipv4", 2, "ipv6", 3, "ib", 4, "fc", 254, "loop");
    private static final Map<Integer, String> SUBTYPES = Map.of(1, "discovery", 2, "nvm", 3, "current-discovery");

    /** @return the name of a field's value, or the number when it has none here. */
    private static String label(final Map<Integer, String> names, final int value)
    {
        return names.getOrDefault(value, Integer.toString(value));
    }

    private static Entry entry(final MemorySegment e)
    {
        final String transport = label(TRANSPORTS, Wire.u8(e, 0));
        final String family = label(FAMILIES, Wire.u8(e, 1));
        final String subtype = label(SUBTYPES, Wire.u8(e, 2));
        return new Entry(transport, family, subtype, Wire.u16(e, 4), Wire.ascii(e, 512, 256), Wire.ascii(e, 32, 32), Wire.ascii(e, 256, 256));
    }
}
