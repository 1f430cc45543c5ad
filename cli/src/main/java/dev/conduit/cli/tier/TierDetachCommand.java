package dev.conduit.cli.tier;

import java.util.concurrent.Callable;

import dev.conduit.cli.ExitCodes;
import dev.conduit.objecttier.tier.TierCatalog;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit tier detach BUCKET}: removes a binding (local objects stay; pending uploads wait for a new binding). */
@Command(name = "detach", description = "Remove BUCKET's cold tier binding (local objects stay).")
public final class TierDetachCommand implements Callable<Integer>
{
    @CommandLine.ParentCommand
    private TierCommand parent;

    @Parameters(index = "0", paramLabel = "BUCKET", description = "local bucket")
    private String bucket;

    @Override
    public Integer call()
    {
        final boolean removed;
        try (ScheduledStore store = parent.openStore())
        {
            removed = new TierCatalog(store.store()).removeBinding(bucket);
        }
        parent.out().println(removed ? "detached " + bucket : bucket + " has no cold tier");
        parent.out().flush();
        return removed ? 0 : ExitCodes.NOT_FOUND;
    }
}
