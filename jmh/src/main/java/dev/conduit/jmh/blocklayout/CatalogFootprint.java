package dev.conduit.jmh.blocklayout;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;

/**
 * Prints open time and retained heap per object for a store of N small objects (default 1,000,000):
 * heap used after a full GC with the store open, minus the same with it closed, divided by N.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp jmh/target/benchmarks.jar \
 *     dev.conduit.jmh.blocklayout.CatalogFootprint [objects]
 * </pre>
 */
public final class CatalogFootprint
{
    private CatalogFootprint()
    {
    }

    /**
     * @param args optional object count.
     * @throws InterruptedException never in practice (GC settling).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int objects = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path dir = CatalogDataset.ensure(objects);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int round = 0; round < 3; round++)
        {
            final long before = usedAfterGc(memory);
            final long startNs = System.nanoTime();
            final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
            final long openMs = (System.nanoTime() - startNs) / 1_000_000;
            final long after = usedAfterGc(memory);
            final long count = store.info().objectCount();
            System.out.printf("open: %d ms for %d objects; heap retained %.1f MiB = %.1f bytes/object%n",
                openMs, count, (after - before) / 1048576.0, (double)(after - before) / count);
            store.close();
        }
    }

    static long usedAfterGc(final MemoryMXBean memory) throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
