package dev.conduit.jmh.gdspath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.conduit.bench.TarShardWriter;
import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.PathMode;
import dev.conduit.gdspath.loader.Batch;
import dev.conduit.gdspath.loader.Loader;
import dev.conduit.gdspath.loader.LoaderOptions;
import dev.conduit.jmh.blocklayout.BenchStores;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The training {@code Loader}'s batch loop in steady state: one {@code next()} and one
 * {@code close()} per operation, over 4 MiB WebDataset tar shards in a real store (O_DIRECT file
 * namespaces) on the host path, epochs following one another without end. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per batch, which the issue wants
 * at 0 in steady state (reads and the batch table included).
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar LoaderBatchBenchmark \
 *     -f 2 -wi 2 -i 3 -w 2s -r 2s -prof gc
 * }</pre>
 *
 * <p>The store lives under {@code -Dconduit.bench.dir} (default {@code target/conduit-bench}), which must be
 * a file system with O_DIRECT (not tmpfs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class LoaderBatchBenchmark
{
    private static final long SHARD_BYTES = 4L << 20;
    private static final int SHARDS = 8;
    private static final String PREFIX = "train/";

    @Param({"32"})
    public int batchSize;

    @Param({"100000"})
    public int sampleBytes;

    private Path dir;
    private ScheduledStore store;
    private DataPath path;
    private Loader loader;

    @Setup
    public void setUp() throws IOException
    {
        dir = BenchStores.fresh("loader-batch");
        Files.createDirectories(dir.getParent());
        DataDirectory.format(dir, (SHARDS + 4) * SHARD_BYTES * 2, 1, FormatOptions.DEFAULT);
        store = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.BULK, 32);
        final int perShard = TarShardWriter.samplesPerShard(SHARD_BYTES, sampleBytes);
        for (int s = 0; s < SHARDS; s++)
        {
            store.store().put(String.format(Locale.ROOT, "%sshard-%06d.tar", PREFIX, s),
                TarShardWriter.shard((long)s * perShard, perShard, sampleBytes, SHARD_BYTES), ObjectMetadata.NONE);
        }
        path = DataPath.open(DataPathOptions.DEFAULT.withMode(PathMode.HOST), store);
        loader = Loader.open(new LoaderOptions().prefix(PREFIX).batchSize(batchSize)
            .bufferBytes(batchSize * (sampleBytes + 1024L + (64 << 10))).ringSize(4).prefetchDepth(3).seed(42), path,
            store.store());
    }

    @TearDown
    public void tearDown()
    {
        loader.close();
        path.close();
        store.close();
        BenchStores.delete(dir);
    }

    @Benchmark
    public long batch()
    {
        try (Batch batch = loader.next())
        {
            return batch.usedBytes();
        }
    }
}
