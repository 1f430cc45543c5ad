package dev.conduit.nvmeof.initiator;

import java.net.InetSocketAddress;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A remote namespace named as {@code nvmf://HOST[:PORT]/NQN/NSID} (port 4420 when absent), the form
 * {@link RemoteNamespace#id()} prints.
 *
 * @param host the target's host name or address.
 * @param port its TCP port.
 * @param nqn  the subsystem NQN.
 * @param nsid the namespace ID (1 or more).
 */
public record NvmfUri(String host, int port, String nqn, long nsid)
{
    /** The URI scheme, with its slashes. */
    public static final String SCHEME = "nvmf://";

    /** The IANA port of NVMe/TCP I/O controllers. */
    public static final int DEFAULT_PORT = 4420;

    /**
     * @param text {@code nvmf://HOST[:PORT]/NQN/NSID}.
     * @return its parts.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} saying what is wrong.
     */
    public static NvmfUri parse(final String text)
    {
        if (!text.startsWith(SCHEME))
        {
            throw invalid(text, "does not start with " + SCHEME);
        }
        final String[] parts = text.substring(SCHEME.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty())
        {
            throw invalid(text, "is not " + SCHEME + "HOST[:PORT]/NQN/NSID");
        }
        final int colon = parts[0].lastIndexOf(':');
        final String host = colon < 0 ? parts[0] : parts[0].substring(0, colon);
        try
        {
            final int port = colon < 0 ? DEFAULT_PORT : Integer.parseInt(parts[0].substring(colon + 1));
            final long nsid = Long.parseLong(parts[2]);
            if (host.isEmpty() || port < 1 || port > 65535 || nsid < 1 || nsid > 0xFFFF_FFFEL || !parts[1].startsWith("nqn."))
            {
                throw invalid(text, "needs a host, a port 1..65535, an NQN starting with 'nqn.' and an NSID 1..4294967294");
            }
            return new NvmfUri(host, port, parts[1], nsid);
        }
        catch (final NumberFormatException e)
        {
            throw invalid(text, "has a port or NSID that is not a number");
        }
    }

    /** @return the target's socket address (resolved now). */
    public InetSocketAddress address()
    {
        return new InetSocketAddress(host, port);
    }

    private static ConduitException invalid(final String text, final String why)
    {
        return new ConduitException(ErrorCode.INVALID_ARGUMENT, "NVMe/TCP namespace " + text + " " + why);
    }
}
