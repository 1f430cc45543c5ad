package dev.conduit.blocklayout.namespace;

/**
 * Opens namespaces that block-layout cannot open itself because they live behind another module: a
 * remote NVMe/TCP namespace ({@code nvmf://HOST:PORT/NQN/NSID}) or an SPDK one
 * ({@code spdk://trtype:TCP,traddr:...,ns:1}). Providers are found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.conduit.blocklayout.namespace.NamespaceProvider} entry in the module
 * that owns the transport), so a store whose manifest names such a namespace opens wherever that
 * module is on the class path, and fails with a message naming the missing scheme where it is not.
 *
 * <p>A namespace spec is {@code SCHEME://REST}; the provider owns the syntax of {@code REST}.
 */
public interface NamespaceProvider
{
    /** @return the scheme this provider opens, without {@code ://} (for example {@code nvmf}). */
    String scheme();

    /**
     * Opens (connects to) the namespace a spec names.
     *
     * @param spec the whole spec, scheme included.
     * @return an open namespace, owned by the caller.
     * @throws dev.conduit.core.ConduitException when the spec is malformed or the namespace cannot be reached.
     */
    Namespace open(String spec);
}
