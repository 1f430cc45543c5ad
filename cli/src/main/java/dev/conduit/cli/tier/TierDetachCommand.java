package dev.conduit.cli.tier;

import java.util.concurrent.Callable;

import dev.conduit.cli.ExitCodes;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
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
    public Integer call() throws InterruptedException
    {
        final TierServerClient remote = parent.remote();
        if (remote != null)
        {
            try
            {
                parent.out().print(remote.call("detach?bucket=" + TierServerClient.encode(bucket), ""));
            }
            catch (final ConduitException e)
            {
                if (e.code() != ErrorCode.NOT_FOUND)
                {
                    throw e;
                }
                parent.out().println(bucket + " has no cold tier");
                parent.out().flush();
                return ExitCodes.NOT_FOUND;
            }
            parent.out().flush();
            return 0;
        }
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
