package dev.conduit.jmh.blocklayout;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.ListPage;
import dev.conduit.blocklayout.MetadataIndexStats;
import dev.conduit.blocklayout.MetadataPredicate;
import dev.conduit.blocklayout.MetadataPredicate.Op;
import dev.conduit.blocklayout.MetadataQuery;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Metadata search over a store of {@code objects} objects ({@link SearchDataset}): a selective query
 * (tag equality AND a numeric range, ~0.03 % of the objects), a single numeric range that matches
 * 0.1 % of them, and an unselective one (a tag every object has, one page of 1000), which the index
 * answers by scanning the catalog in key order.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx4g -jar jmh/target/benchmarks.jar MetadataSearchBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class MetadataSearchBenchmark
{
    private static final MetadataQuery SELECTIVE = new MetadataQuery("dataset/", List.of(
        new MetadataPredicate("t:stage", Op.EQ, "tested"), new MetadataPredicate("m:loss", Op.LT, "0.3")), "", 1000);
    private static final MetadataQuery NARROW_RANGE = new MetadataQuery("dataset/", List.of(
        new MetadataPredicate("m:loss", Op.LT, "0.001")), "", 1000);
    private static final MetadataQuery UNSELECTIVE = new MetadataQuery("dataset/", List.of(
        new MetadataPredicate("t:stage", Op.EXISTS, "")), "", 1000);

    /** Objects in the store. */
    @Param("1000000")
    public int objects;

    private ObjectStore store;

    /** Opens the dataset and builds its index (printing the index's size). */
    @Setup(Level.Trial)
    public void open()
    {
        final Path dir = SearchDataset.ensure(objects);
        store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        final long startNs = System.nanoTime();
        final MetadataIndexStats stats = store.indexMetadata();
        System.out.printf("%nindex: %d postings for %d objects built in %d ms, estimated %.1f bytes/object%n",
            stats.postings(), stats.objects(), (System.nanoTime() - startNs) / 1_000_000, stats.bytesPerObject());
    }

    /** Closes the store. */
    @TearDown(Level.Trial)
    public void close()
    {
        store.close();
    }

    /** @return tested checkpoints with loss below 0.3. */
    @Benchmark
    public ListPage selective()
    {
        return store.find(SELECTIVE);
    }

    /** @return loss below 0.001 (about a thousand objects). */
    @Benchmark
    public ListPage narrowRange()
    {
        return store.find(NARROW_RANGE);
    }

    /** @return the first 1000 objects that have a stage tag (all do): the scan path. */
    @Benchmark
    public ListPage unselectivePage()
    {
        return store.find(UNSELECTIVE);
    }
}
