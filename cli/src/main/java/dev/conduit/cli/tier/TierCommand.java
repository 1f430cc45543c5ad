package dev.conduit.cli.tier;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;

import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.Main;
import dev.conduit.cli.SchedulerSettings;
import dev.conduit.cli.serve.AccessKeys;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.config.Settings;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit tier}: the cold tiers of the store in the data directory. Without {@code --server}
 * it opens the data directory itself, like the other store commands, so it runs while
 * {@code conduit serve} is stopped (the directory's lock says so otherwise) and bindings take effect
 * at the next start. With {@code --server URL} it asks that running server instead
 * ({@code /_conduit/tier}, SigV4-signed with the server's key: {@code s3.accessKey}/{@code s3.secretKey}
 * or the one {@code conduit serve} keeps in the data directory), and changes take effect at once.
 */
@Command(name = "tier", description = "Cold S3 tiers of local buckets: attach, detach, ls, prefetch (docs/TIERING.md).",
    subcommands = {TierAttachCommand.class, TierDetachCommand.class, TierListCommand.class, TierPrefetchCommand.class})
public final class TierCommand
{
    @CommandLine.ParentCommand
    private Main main;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL",
        description = "a running conduit serve to ask (e.g. http://127.0.0.1:9000) instead of opening the data directory")
    private URI server;

    /** @return the running server to ask, or null to open the data directory. */
    TierServerClient remote()
    {
        if (server == null)
        {
            return null;
        }
        final ConduitConfig config = main.config();
        final String id = config.find(Settings.S3_ACCESS_KEY).orElse(null);
        final String secret = config.find(Settings.S3_SECRET_KEY).orElse(null);
        try
        {
            final Credentials credentials = id != null && secret != null ? new Credentials(id, secret)
                : AccessKeys.read(main.dataDir());
            return new TierServerClient(server, credentials, config.get(Settings.S3_REGION));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the run's configuration. */
    ConduitConfig config()
    {
        return main.config();
    }

    /** @return the store in the data directory, through the scheduler; close it. */
    ScheduledStore openStore()
    {
        final ConduitConfig config = main.config();
        return ScheduledStore.open(main.dataDir(), StoreOptions.DEFAULT, Priority.LATENCY, SchedulerSettings.schedulerContext(config),
            () -> SchedulerSettings.deviceContext(config));
    }

    /** @return stdout. */
    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    /** @return stderr. */
    PrintWriter err()
    {
        return spec.commandLine().getErr();
    }
}
