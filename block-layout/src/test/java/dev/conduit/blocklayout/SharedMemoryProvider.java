package dev.conduit.blocklayout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.NamespaceProvider;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A test {@link NamespaceProvider} ({@code shmem://LABEL}) that hands out views of memory namespaces a
 * test registered, so a store can be formatted, closed and reopened "remotely" through the same
 * ServiceLoader path a real transport takes; closing a view leaves the memory to the test.
 */
public final class SharedMemoryProvider implements NamespaceProvider
{
    private static final String SCHEME = "shmem";
    private static final Map<String, MemoryNamespace> REGISTERED = new ConcurrentHashMap<>();

    /**
     * @param label the spec's label.
     * @param ns    the memory behind {@code shmem://label}.
     * @return the spec.
     */
    static String register(final String label, final MemoryNamespace ns)
    {
        REGISTERED.put(label, ns);
        return SCHEME + "://" + label;
    }

    static void unregister(final String label)
    {
        REGISTERED.remove(label);
    }

    @Override
    public String scheme()
    {
        return SCHEME;
    }

    @Override
    public Namespace open(final String spec)
    {
        final MemoryNamespace ns = REGISTERED.get(spec.substring(SCHEME.length() + 3));
        if (ns == null)
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no namespace registered as " + spec);
        }
        return new ForwardingNamespace(ns)
        {
            @Override
            public String id()
            {
                return spec;
            }

            @Override
            public void close()
            {
                // The test owns the memory.
            }
        };
    }
}
