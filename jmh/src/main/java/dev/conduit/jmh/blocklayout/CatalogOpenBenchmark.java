package dev.conduit.jmh.blocklayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.DataDirectory;
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
 * Time to open a store whose catalog holds {@code objects} small objects (checkpoint read, journal
 * replay, allocator rebuild), on file namespaces. The dataset is built once by
 * {@link CatalogDataset} and reused across forks and runs. Heap per object is printed by
 * {@link CatalogFootprint}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar CatalogOpenBenchmark -f 2 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class CatalogOpenBenchmark
{
    @Param({"1000000"})
    public int objects;

    private Path dir;
    private ObjectStore opened;

    /** Builds the dataset on first use. */
    @Setup(Level.Trial)
    public void setUp()
    {
        dir = CatalogDataset.ensure(objects);
    }

    /**
     * @return the open store (closed after the iteration).
     */
    @Benchmark
    public ObjectStore open()
    {
        opened = DataDirectory.open(dir, StoreOptions.DEFAULT);
        return opened;
    }

    /** Closes what {@link #open()} opened; nothing to checkpoint, so this is cheap. */
    @TearDown(Level.Iteration)
    public void close()
    {
        if (opened != null)
        {
            if (opened.info().objectCount() != objects || !Files.isDirectory(dir))
            {
                throw new IllegalStateException("dataset has " + opened.info().objectCount() + " objects, expected " + objects);
            }
            opened.close();
            opened = null;
        }
    }
}
