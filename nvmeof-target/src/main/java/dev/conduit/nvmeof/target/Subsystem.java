package dev.conduit.nvmeof.target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.nvmeof.command.Nqn;

/**
 * An NVM subsystem the target exports: its NQN, its namespaces (NSID = index + 1 of the list given;
 * more can be attached, and any detached, while the target runs: {@link NvmfTarget#attachNamespace})
 * and the hosts allowed to connect. Allowing any host is an explicit choice ({@link #allowAnyHost}),
 * never a default: an empty allow-list refuses everyone.
 *
 * <p>Threading: thread-safe; namespace lookups read a snapshot that attach and detach replace.
 */
public final class Subsystem
{
    /** The well-known NQN of the discovery subsystem. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";
    /** The most namespace IDs a subsystem hands out (Identify Controller NN). */
    public static final int MAX_NAMESPACES = 1024;

    private final String nqn;
    private final Set<String> allowedHosts;
    private final boolean allowAnyHost;
    private final String serial;
    /** Index NSID − 1; null where a namespace was detached. Replaced whole on every change. */
    private volatile List<Namespace> slots;

    /**
     * @param nqn          the subsystem NQN.
     * @param namespaces   the namespaces, NSID 1 first; the target does not close them.
     * @param allowedHosts host NQNs allowed to connect.
     * @param allowAnyHost whether any host may connect.
     * @param serial       serial number reported by Identify Controller (at most 20 ASCII characters).
     * @throws IllegalArgumentException when an NQN (the subsystem's or an allowed host's) is malformed.
     */
    public Subsystem(final String nqn, final List<Namespace> namespaces, final Set<String> allowedHosts, final boolean allowAnyHost, final String serial)
    {
        Nqn.require(nqn, "the subsystem NQN");
        if (nqn.equals(DISCOVERY_NQN))
        {
            throw new IllegalArgumentException("the discovery NQN cannot name an NVM subsystem");
        }
        if (namespaces.size() > MAX_NAMESPACES)
        {
            throw new IllegalArgumentException("at most " + MAX_NAMESPACES + " namespaces: " + namespaces.size());
        }
        for (final String host : allowedHosts)
        {
            Nqn.require(host, "the allowed host NQN");
        }
        if (serial == null || serial.length() > 20)
        {
            throw new IllegalArgumentException("serial must have at most 20 characters: " + serial);
        }
        this.nqn = nqn;
        this.slots = List.copyOf(namespaces);
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.allowAnyHost = allowAnyHost;
        this.serial = serial;
    }

    /** @return the subsystem NQN. */
    public String nqn()
    {
        return nqn;
    }

    /** @return the attached namespaces now, in NSID order (detached IDs left out). */
    public List<Namespace> namespaces()
    {
        return slots.stream().filter(ns -> ns != null).toList();
    }

    /** @return the highest NSID handed out so far (Identify Controller NN). */
    public int namespaceIdCount()
    {
        return slots.size();
    }

    /** @return the host NQNs allowed to connect. */
    public Set<String> allowedHosts()
    {
        return allowedHosts;
    }

    /** @return whether any host may connect. */
    public boolean allowAnyHost()
    {
        return allowAnyHost;
    }

    /** @return the serial number Identify Controller reports. */
    public String serial()
    {
        return serial;
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
     * @return the namespace, or {@code null} when none is attached with that ID.
     */
    public Namespace namespace(final long nsid)
    {
        final List<Namespace> now = slots;
        return nsid >= 1 && nsid <= now.size() ? now.get((int)nsid - 1) : null;
    }

    /** @return the new namespace's NSID: the lowest free one. */
    synchronized long attach(final Namespace namespace)
    {
        final List<Namespace> next = new ArrayList<>(slots);
        int index = next.indexOf(null);
        if (index < 0)
        {
            if (next.size() >= MAX_NAMESPACES)
            {
                throw new IllegalStateException(nqn + " has " + MAX_NAMESPACES + " namespaces already");
            }
            next.add(namespace);
            index = next.size() - 1;
        }
        else
        {
            next.set(index, namespace);
        }
        slots = Collections.unmodifiableList(next);
        return index + 1L;
    }

    /** @return the namespace that had {@code nsid}, or null when none had it. */
    synchronized Namespace detach(final long nsid)
    {
        final Namespace detached = namespace(nsid);
        if (detached != null)
        {
            final List<Namespace> next = new ArrayList<>(slots);
            next.set((int)nsid - 1, null);
            slots = Collections.unmodifiableList(next);
        }
        return detached;
    }

    @Override
    public String toString()
    {
        return "Subsystem[" + nqn + ", " + namespaces().size() + " namespace(s)]";
    }
}
