package dev.conduit.spdk;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.NamespaceProvider;

/**
 * Opens {@code spdk://} namespaces ({@link SpdkNamespaceSpec}) for block-layout; registered in
 * {@code META-INF/services/dev.conduit.blocklayout.namespace.NamespaceProvider}.
 */
public final class SpdkNamespaceProvider implements NamespaceProvider
{
    @Override
    public String scheme()
    {
        return SpdkNamespaceSpec.SCHEME;
    }

    @Override
    public Namespace open(final String spec)
    {
        return SpdkNamespace.open(SpdkNamespaceSpec.parse(spec));
    }
}
