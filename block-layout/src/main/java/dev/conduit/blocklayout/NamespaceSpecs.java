package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.NamespaceProvider;
import dev.conduit.blocklayout.namespace.PosixNamespace;
import dev.conduit.core.ErrorCode;

/**
 * Opens the namespace a manifest line or {@code format --namespace} value names: {@code SCHEME://...}
 * through the {@link NamespaceProvider} for that scheme (found with {@link ServiceLoader}), anything
 * else as a file or block device path (relative paths against the data directory).
 */
public final class NamespaceSpecs
{
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*)://.*");

    private NamespaceSpecs()
    {
    }

    /**
     * @param spec a manifest line.
     * @return the scheme of a {@code SCHEME://...} spec, or null for a path.
     */
    public static String scheme(final String spec)
    {
        final var matcher = SCHEME.matcher(spec);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /**
     * @param spec a manifest line.
     * @return true when it names a namespace through a provider rather than a path.
     */
    public static boolean isProvided(final String spec)
    {
        return scheme(spec) != null;
    }

    /**
     * Opens a namespace.
     *
     * @param dir  the data directory relative paths resolve against.
     * @param spec {@code SCHEME://...}, or a path.
     * @return the open namespace, owned by the caller.
     * @throws dev.conduit.core.ConduitException {@code NAMESPACE_SCHEME_UNKNOWN} naming the scheme when no
     *                                           provider on the class path opens it.
     */
    public static Namespace open(final Path dir, final String spec)
    {
        final String scheme = scheme(spec);
        if (scheme == null)
        {
            return PosixNamespace.open(dir.resolve(spec));
        }
        return provider(scheme).open(spec);
    }

    /**
     * @param scheme a scheme without {@code ://}.
     * @return the first provider on the class path that opens it.
     */
    static NamespaceProvider provider(final String scheme)
    {
        final List<String> known = new ArrayList<>();
        for (final NamespaceProvider provider : ServiceLoader.load(NamespaceProvider.class, NamespaceSpecs.class.getClassLoader()))
        {
            if (provider.scheme().equals(scheme))
            {
                return provider;
            }
            known.add(provider.scheme());
        }
        throw LayoutErrors.error(ErrorCode.NAMESPACE_SCHEME_UNKNOWN, "no namespace provider for '" + scheme
            + "://' on the class path (providers found: " + (known.isEmpty() ? "none" : String.join(", ", known))
            + "); the module that serves it (nvmeof-target for nvmf://) must be on the class path");
    }
}
