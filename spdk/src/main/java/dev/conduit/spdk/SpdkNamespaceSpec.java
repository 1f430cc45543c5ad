package dev.conduit.spdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.spdk.SpdkEnvOptions;

/**
 * A parsed {@code spdk://} namespace spec: SPDK's transport id with commas for spaces, plus Conduit's
 * own keys, which are not passed to SPDK:
 *
 * <pre>
 *  spdk://trtype:TCP,adrfam:IPv4,traddr:127.0.0.1,trsvcid:4420,subnqn:nqn.2026-01.dev.conduit:ns,ns:1
 *  spdk://trtype:PCIe,traddr:0000:01:00.0,ns:1,queues:2,depth:256
 * </pre>
 *
 * <ul>
 *   <li>{@code ns}: namespace id (default 1);</li>
 *   <li>{@code queues}: queue pairs, one polling device thread each (default 1);</li>
 *   <li>{@code depth}: NVMe queue entries per queue pair (default {@value #DEFAULT_DEPTH}).</li>
 * </ul>
 *
 * @param transportId SPDK's transport id ({@code key:value} pairs separated by spaces).
 * @param nsid        namespace id.
 * @param queuePairs  queue pairs.
 * @param depth       entries per queue pair.
 * @param pcie        whether the transport is PCIe (the environment then needs PCI and hugepages).
 */
public record SpdkNamespaceSpec(String transportId, int nsid, int queuePairs, int depth, boolean pcie)
{
    /** The scheme. */
    public static final String SCHEME = "spdk";
    /** Default entries per queue pair. */
    public static final int DEFAULT_DEPTH = 128;
    private static final String PREFIX = SCHEME + "://";

    /**
     * @param spec {@code spdk://...}.
     * @return the parsed spec.
     * @throws ConduitException {@code NVME_TRANSPORT_ID_INVALID} when it is not of that form.
     */
    public static SpdkNamespaceSpec parse(final String spec)
    {
        if (spec == null || !spec.startsWith(PREFIX) || spec.length() == PREFIX.length())
        {
            throw invalid(spec, "expected " + PREFIX + "trtype:...,traddr:...[,subnqn:...][,ns:N]");
        }
        final List<String> trid = new ArrayList<>();
        int nsid = 1;
        int queues = 1;
        int depth = DEFAULT_DEPTH;
        boolean pcie = false;
        boolean hasType = false;
        for (final String pair : spec.substring(PREFIX.length()).split(","))
        {
            final int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1 || pair.contains(" "))
            {
                throw invalid(spec, "\"" + pair + "\" is not key:value");
            }
            final String key = pair.substring(0, colon).toLowerCase(Locale.ROOT);
            final String value = pair.substring(colon + 1);
            switch (key)
            {
                case "ns" -> nsid = number(spec, key, value, 1);
                case "queues" -> queues = number(spec, key, value, 1);
                case "depth" -> depth = number(spec, key, value, 2);
                default ->
                {
                    if (key.equals("trtype"))
                    {
                        hasType = true;
                        pcie = value.equalsIgnoreCase("PCIe");
                    }
                    trid.add(key + ":" + value);
                }
            }
        }
        if (!hasType)
        {
            throw invalid(spec, "trtype is missing");
        }
        return new SpdkNamespaceSpec(String.join(" ", trid), nsid, queues, depth, pcie);
    }

    /** @return the environment this transport needs: fabrics run without hugepages or PCI. */
    public SpdkEnvOptions environment()
    {
        return pcie ? SpdkEnvOptions.pcieDefaults() : SpdkEnvOptions.fabricsDefaults();
    }

    private static int number(final String spec, final String key, final String value, final int min)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n >= min)
            {
                return n;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw invalid(spec, key + " must be an integer >= " + min + ": " + value);
    }

    private static ConduitException invalid(final String spec, final String why)
    {
        return new ConduitException(ErrorCode.NVME_TRANSPORT_ID_INVALID, "namespace spec \"" + spec + "\": " + why);
    }
}
