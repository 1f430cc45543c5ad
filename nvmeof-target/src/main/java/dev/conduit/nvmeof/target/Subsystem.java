package dev.conduit.nvmeof.target;

import java.util.List;
import java.util.Set;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nvmeof.command.Nqn;

/**
 * An NVM subsystem the target exports: its NQN, its namespaces (NSID = index + 1) and the hosts
 * allowed to connect. Allowing any host is an explicit choice ({@link #allowAnyHost}), never a
 * default: an empty allow-list refuses everyone.
 *
 * @param nqn          the subsystem NQN.
 * @param namespaces   the namespaces, NSID 1 first; the target does not close them.
 * @param allowedHosts host NQNs allowed to connect.
 * @param allowAnyHost whether any host may connect.
 * @param serial       serial number reported by Identify Controller (at most 20 ASCII characters).
 */
public record Subsystem(String nqn, List<Namespace> namespaces, Set<String> allowedHosts, boolean allowAnyHost, String serial)
{
    /** The well-known NQN of the discovery subsystem. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    /** Copies the lists and checks the NQNs (the subsystem's and every allowed host's). */
    public Subsystem
    {
        Nqn.require(nqn, "the subsystem NQN");
        if (nqn.equals(DISCOVERY_NQN))
        {
            throw new IllegalArgumentException("the discovery NQN cannot name an NVM subsystem");
        }
        namespaces = List.copyOf(namespaces);
        allowedHosts = Set.copyOf(allowedHosts);
        for (final String host : allowedHosts)
        {
            Nqn.require(host, "the allowed host NQN");
        }
        if (serial == null || serial.length() > 20)
        {
            throw new IllegalArgumentException("serial must have at most 20 characters: " + serial);
        }
    }

    /**
     * @param hostNqn a connecting host's NQN.
     * @return whether it may connect.
     */
    public boolean allows(final String hostNqn)
    {
        return allowAnyHost || allowedHosts.contains(hostNqn);
    }

    /**
     * @param nsid a namespace ID.
     * @return the namespace, or {@code null} when none has that ID.
     */
    public Namespace namespace(final long nsid)
    {
        return nsid >= 1 && nsid <= namespaces.size() ? namespaces.get((int)nsid - 1) : null;
    }
}
