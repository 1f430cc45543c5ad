package dev.conduit.jmh.blocklayout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.MetadataIndexStats;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;

/**
 * Prints the metadata index's build time and heap per object for {@link SearchDataset} (default
 * 1,000,000 objects, three metadata entries each): heap used after a full GC with the index built,
 * minus the same with the store open and no index, divided by the object count; next to the
 * index's own estimate.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -cp jmh/target/benchmarks.jar \
 *     dev.conduit.jmh.blocklayout.MetadataIndexFootprint [objects]
 * </pre>
 */
public final class MetadataIndexFootprint
{
    private MetadataIndexFootprint()
    {
    }

    /**
     * @param args optional object count.
     * @throws InterruptedException never in practice (GC settling).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int objects = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path dir = SearchDataset.ensure(objects);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int round = 0; round < 2; round++)
        {
            try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                final long before = CatalogFootprint.usedAfterGc(memory);
                final long startNs = System.nanoTime();
                final MetadataIndexStats stats = store.indexMetadata();
                final long buildMs = (System.nanoTime() - startNs) / 1_000_000;
                final long after = CatalogFootprint.usedAfterGc(memory);
                System.out.printf("index: built in %d ms for %d objects, %d postings; heap retained %.1f MiB = %.1f"
                    + " bytes/object (estimate %.1f)%n", buildMs, stats.objects(), stats.postings(),
                    (after - before) / 1048576.0, (double)(after - before) / stats.objects(), stats.bytesPerObject());
            }
        }
    }
}
