package dev.conduit.cli.tier;

import java.io.PrintWriter;

import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.cli.Main;
import dev.conduit.cli.SchedulerSettings;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code conduit tier}: the cold tiers of the store in the data directory. Like the other store
 * commands it opens the data directory itself, so it runs while {@code conduit serve} is stopped
 * (the directory's lock says so otherwise); bindings take effect at the next start.
 */
@Command(name = "tier", description = "Cold S3 tiers of local buckets: attach, detach, ls, prefetch (docs/TIERING.md).",
    subcommands = {TierAttachCommand.class, TierDetachCommand.class, TierListCommand.class, TierPrefetchCommand.class})
public final class TierCommand
{
    @CommandLine.ParentCommand
    private Main main;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

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
