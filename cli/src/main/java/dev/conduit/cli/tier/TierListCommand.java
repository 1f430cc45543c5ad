package dev.conduit.cli.tier;

import java.util.concurrent.Callable;

import dev.conduit.objecttier.tier.TierAdmin;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierCatalog;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code conduit tier ls}: every binding, one line each. */
@Command(name = "ls", description = "List the cold tier bindings.")
public final class TierListCommand implements Callable<Integer>
{
    @CommandLine.ParentCommand
    private TierCommand parent;

    @Override
    public Integer call() throws InterruptedException
    {
        final TierServerClient remote = parent.remote();
        if (remote != null)
        {
            parent.out().print(remote.call("", null));
            parent.out().flush();
            return 0;
        }
        try (ScheduledStore store = parent.openStore())
        {
            for (final TierBinding b : new TierCatalog(store.store()).bindings())
            {
                parent.out().println(TierAdmin.describe(b));
            }
        }
        parent.out().flush();
        return 0;
    }
}
