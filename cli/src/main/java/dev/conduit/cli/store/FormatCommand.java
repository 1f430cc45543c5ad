package dev.conduit.cli.store;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreGeometry;
import dev.conduit.blocklayout.StoreInfo;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.scheduler.store.ScheduledStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit format --size 2g [--namespaces N]}: creates a store of N preallocated file namespaces;
 * {@code conduit format --namespace SPEC [--namespace SPEC ...]}: formats a store striped over
 * namespaces that exist already, such as remote ones ({@code nvmf://HOST:PORT/NQN/NSID}), in the
 * order given; the data directory then holds only the manifest naming them.
 */
@Command(name = "format", description = "Create a store of N preallocated file namespaces totalling --size in the data directory, "
    + "or format one striped over existing namespaces given with --namespace (nvmf://HOST:PORT/NQN/NSID, a block device or an absolute file path).")
public final class FormatCommand extends StoreCommand
{
    @Option(names = "--size", converter = SizeConverter.class, paramLabel = "SIZE",
        description = "total size of all namespaces, e.g. 2g or 256m (file namespaces; not with --namespace)")
    private Long sizeBytes;

    @Option(names = "--namespace", paramLabel = "SPEC",
        description = "an existing namespace to stripe over, in order (repeatable): nvmf://HOST:PORT/NQN/NSID[?hostnqn=NQN&queues=N&digests=on], "
            + "another provider's SCHEME://..., a block device or an absolute file path; nothing is preallocated")
    private List<String> namespaceSpecs = new ArrayList<>();

    @Option(names = "--namespaces", defaultValue = "1", paramLabel = "N", description = "number of file namespaces (default ${DEFAULT-VALUE})")
    private int namespaces;

    @Option(names = "--stripe-unit", converter = SizeConverter.class, paramLabel = "SIZE", description = "stripe unit (default 1m)")
    private Long stripeUnitBytes;

    @Option(names = "--chunk-size", converter = SizeConverter.class, paramLabel = "SIZE",
        description = "bytes covered by one CRC-32C, a power of two from 4k (default 1m); a verified read of any range reads "
            + "whole chunks, so stores read in ranges smaller than a chunk (training loaders) read less with 64k, for "
            + "4 bytes of record per chunk")
    private Long chunkSizeBytes;

    @Option(names = "--journal", converter = SizeConverter.class, paramLabel = "SIZE", description = "journal size (default: 1/32 of namespace 0, 2m..64m)")
    private Long journalBytes;

    @Option(names = "--force", description = "replace a store that is already there (its objects are lost)")
    private boolean force;

    @Override
    Integer run()
    {
        if (namespaceSpecs.isEmpty() == (sizeBytes == null))
        {
            throw new IllegalArgumentException("give either --size (file namespaces in the data directory) or --namespace (existing ones)");
        }
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
            d.allocationUnitBytes(), d.smallObjectMaxBytes(), chunkSizeBytes == null ? d.chunkSizeBytes() : Math.toIntExact(chunkSizeBytes));
        final FormatOptions options = FormatOptions.DEFAULT.withGeometry(geometry).withJournalBytes(journalBytes == null ? 0 : journalBytes);
        if (namespaceSpecs.isEmpty())
        {
            DataDirectory.format(dataDir(), sizeBytes, namespaces, options);
        }
        else
        {
            DataDirectory.format(dataDir(), namespaceSpecs, options);
        }
        final int count = namespaceSpecs.isEmpty() ? namespaces : namespaceSpecs.size();
        try (ScheduledStore scheduled = openStore(StoreOptions.DEFAULT))
        {
            final ObjectStore store = scheduled.store();
            final StoreInfo info = store.info();
            print("formatted " + dataDir() + ": store " + info.storeUuid() + ", " + count + " namespace(s), "
                + store.space().capacityBytes() / (1 << 20) + " MiB for data, journal " + info.journalLengthBytes() / (1 << 20) + " MiB, CRC-32C per "
                + (geometry.chunkSizeBytes() >> 10) + " KiB chunk");
        }
        return 0;
    }
}
