package dev.conduit.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The configuration of this process, for the few places that cannot be handed one because they
 * are reached through static entry points (the native library loaders).
 *
 * <p>The {@code conduit} command {@link #install installs} the configuration it built from its
 * file, environment and flags before any subcommand runs. A process that never installs one
 * (a library user, a module's tests) gets the file and environment layers of
 * {@link ConfigLoader}, loaded once on first use.
 *
 * <p>Threading: any thread; the installed configuration is published through a volatile field.
 */
public final class ProcessConfig
{
    private static volatile ConduitConfig installed;

    private ProcessConfig()
    {
    }

    /** @return the installed configuration, or the file and environment one loaded on first use. */
    public static ConduitConfig current()
    {
        ConduitConfig config = installed;
        if (config == null)
        {
            synchronized (ProcessConfig.class)
            {
                config = installed;
                if (config == null)
                {
                    config = new ConfigLoader(System.getenv(), Path.of("")).load();
                    installed = config;
                }
            }
        }
        return config;
    }

    /**
     * Replaces the process's configuration. Native libraries already loaded stay loaded: install
     * before anything loads them.
     *
     * @param config the configuration.
     */
    public static void install(final ConduitConfig config)
    {
        installed = Objects.requireNonNull(config, "config");
    }
}
