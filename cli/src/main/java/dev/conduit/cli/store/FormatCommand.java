package dev.conduit.cli.store;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreGeometry;
import dev.conduit.blocklayout.StoreInfo;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conduit format --size 2g [--namespaces N]}: creates a store of N preallocated file namespaces. */
@Command(name = "format", description = "Create a store of N preallocated file namespaces totalling --size in the data directory.")
public final class FormatCommand extends StoreCommand
{
    @Option(names = "--size", required = true, converter = SizeConverter.class, paramLabel = "SIZE",
        description = "total size of all namespaces, e.g. 2g or 256m")
    private long sizeBytes;

    @Option(names = "--namespaces", defaultValue = "1", paramLabel = "N", description = "number of file namespaces (default ${DEFAULT-VALUE})")
    private int namespaces;

    @Option(names = "--stripe-unit", converter = SizeConverter.class, paramLabel = "SIZE", description = "stripe unit (default 1m)")
    private Long stripeUnitBytes;

    @Option(names = "--journal", converter = SizeConverter.class, paramLabel = "SIZE", description = "journal size (default: 1/32 of namespace 0, 2m..64m)")
    private Long journalBytes;

    @Option(names = "--force", description = "replace a store that is already there (its objects are lost)")
    private boolean force;

    @Override
    Integer run()
    {
        if (namespaces < 1)
        {
            throw new IllegalArgumentException("--namespaces must be at least 1: " + namespaces);
        }
        if (force)
        {
            DataDirectory.destroy(dataDir());
        }
        final StoreGeometry d = StoreGeometry.DEFAULT;
        final StoreGeometry geometry = new StoreGeometry(stripeUnitBytes == null ? d.stripeUnitBytes() : Math.toIntExact(stripeUnitBytes),
            d.allocationUnitBytes(), d.smallObjectMaxBytes(), d.chunkSizeBytes());
        DataDirectory.format(dataDir(), sizeBytes, namespaces,
            FormatOptions.DEFAULT.withGeometry(geometry).withJournalBytes(journalBytes == null ? 0 : journalBytes));
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            final StoreInfo info = store.info();
            print("formatted " + dataDir() + ": store " + info.storeUuid() + ", " + namespaces + " namespace(s), "
                + store.space().capacityBytes() / (1 << 20) + " MiB for data, journal " + info.journalLengthBytes() / (1 << 20) + " MiB");
        }
        return 0;
    }
}
