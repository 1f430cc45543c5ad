package dev.conduit.nvmeof.initiator;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.NamespaceProvider;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The {@code nvmf} {@link NamespaceProvider}: opens {@code nvmf://HOST[:PORT]/NQN/NSID[?OPTIONS]} as a
 * {@link RemoteNamespace} (reconnecting under {@link ReconnectPolicy#defaults()}), so a store's
 * manifest can name namespaces served by other nodes. Options, {@code &}-separated:
 * {@code hostnqn=NQN} (default {@link #DEFAULT_HOST_NQN}), {@code queues=N} I/O queues (default 2),
 * {@code digests=on|off} header and data digests (default off), {@code kato=MS} keep-alive timeout
 * (default 10000; 0 = none).
 */
public final class NvmfNamespaceProvider implements NamespaceProvider
{
    /** The host NQN used when a spec names none: fixed, so a target can allow-list it. */
    public static final String DEFAULT_HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-0000000c4ec0";

    private static final int DEFAULT_QUEUES = 2;
    private static final int MAX_QUEUES = 64;
    private static final long DEFAULT_KATO_MS = 10_000;

    @Override
    public String scheme()
    {
        return "nvmf";
    }

    @Override
    public Namespace open(final String spec)
    {
        final int query = spec.indexOf('?');
        final NvmfUri uri = NvmfUri.parse(query < 0 ? spec : spec.substring(0, query));
        HostQueue.Options options = HostQueue.Options.of(DEFAULT_HOST_NQN).withKeepAliveTimeoutMs(DEFAULT_KATO_MS);
        int queues = DEFAULT_QUEUES;
        if (query >= 0)
        {
            for (final String pair : spec.substring(query + 1).split("&"))
            {
                final int eq = pair.indexOf('=');
                final String key = eq < 0 ? pair : pair.substring(0, eq);
                final String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (key)
                {
                    case "hostnqn" -> options = new HostQueue.Options(value, options.headerDigest(), options.dataDigest(), options.queueEntries(),
                        options.keepAliveTimeoutMs(), options.inCapsuleDataBytes(), options.maxDataBytes(), options.commandTimeoutMs());
                    case "queues" -> queues = number(spec, key, value, 1, MAX_QUEUES);
                    case "digests" -> options = options.withDigests(onOff(spec, value), onOff(spec, value));
                    case "kato" -> options = options.withKeepAliveTimeoutMs(number(spec, key, value, 0, 3_600_000));
                    default -> throw invalid(spec, "has an unknown option '" + key + "' (hostnqn, queues, digests, kato)");
                }
            }
        }
        if (!options.hostNqn().startsWith("nqn."))
        {
            throw invalid(spec, "has a host NQN that does not start with 'nqn.'");
        }
        return RemoteNamespace.connect(uri.address(), options, uri.nqn(), uri.nsid(), queues);
    }

    private static int number(final String spec, final String key, final String value, final int min, final int max)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n >= min && n <= max)
            {
                return n;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below, with the range
        }
        throw invalid(spec, "needs " + key + " between " + min + " and " + max + ", not '" + value + "'");
    }

    private static boolean onOff(final String spec, final String value)
    {
        return switch (value)
        {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw invalid(spec, "needs digests=on or digests=off, not '" + value + "'");
        };
    }

    private static ConduitException invalid(final String spec, final String why)
    {
        return new ConduitException(ErrorCode.INVALID_ARGUMENT, "NVMe/TCP namespace " + spec + " " + why);
    }
}
