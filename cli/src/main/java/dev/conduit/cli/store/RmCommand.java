package dev.conduit.cli.store;

import dev.conduit.blocklayout.LayoutErrors;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import dev.conduit.blocklayout.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit rm KEY}: deletes KEY durably; exit 3 when there is no such key. */
@Command(name = "rm", description = "Delete KEY (exit code 3 when it does not exist).")
public final class RmCommand extends StoreCommand
{
    @Parameters(index = "0", paramLabel = "KEY", description = "object key")
    private String key;

    @Override
    Integer run()
    {
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            if (!store.delete(key))
            {
                throw LayoutErrors.notFound(key);
            }
        }
        return 0;
    }
}
