package dev.conduit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.Extent;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.PathMode;
import dev.conduit.gdspath.loader.Batch;
import dev.conduit.gdspath.loader.Loader;
import dev.conduit.gdspath.loader.LoaderOptions;
import dev.conduit.scheduler.DeviceCounter;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.store.ScheduledStore;
import org.HdrHistogram.Histogram;

/**
 * {@code conduit bench --loader}: the training {@link Loader} end to end over the tar shards under a
 * prefix (generated with {@link TarShardWriter} when there are none), through {@link DataPath}, for a
 * number of epochs: samples/s, GiB/s read, CPU-seconds per GiB, and how long the consumer waited for
 * each batch. With fio, fio reads the same extents (every shard's, adjacent ones merged) sequentially at
 * its best settings (io_uring, registered files and buffers, O_DIRECT, 1 MiB or the largest block the
 * extents allow, the same total depth) in alternating rounds ({@link VsFio#alternate}), and the report
 * carries Loader ÷ fio.
 */
public final class LoaderBench
{
    private static final long FIO_BLOCK_BYTES_MAX = 1 << 20;
    private static final String SIDECAR_SUFFIX = ".idx";

    private LoaderBench()
    {
    }

    /**
     * The unmeasured epochs before the measured rounds.
     *
     * @param epochs  epochs run.
     * @param seconds wall time they took.
     */
    public record Warmup(int epochs, double seconds)
    {
    }

    /**
     * One measured Loader run.
     *
     * @param samples samples delivered (padding not counted).
     * @param batches batches delivered.
     * @param reads   range reads issued for them.
     * @param bytes   bytes read into the batch buffers.
     * @param seconds wall time from the first {@code next()} to the last batch's close.
     * @param cpuNs   process CPU time in that interval.
     * @param result  the same as a bench side: GiB/s, reads/s, and the consumer's wait per batch as latency.
     * @param storageBytes bytes the store's devices read for it ({@code BULK}): more than {@code bytes} when
     *                     verified reads widen to whole CRC chunks, or a chunk is read by two batches.
     */
    public record LoaderRun(long samples, long batches, long reads, long bytes, double seconds, long cpuNs,
        BenchResult result, long storageBytes)
    {
        /** @return bytes read from storage per byte delivered. */
        public double readAmplification()
        {
            return bytes == 0 ? 0 : (double)storageBytes / bytes;
        }

        /** @return samples per second. */
        public double samplesPerSecond()
        {
            return samples / seconds;
        }
    }

    /**
     * @param config   the run.
     * @param fio      fio's executable, or null to run the Loader alone.
     * @param progress live progress.
     * @return the report.
     */
    public static LoaderReport run(final LoaderBenchConfig config, final Path fio, final Progress progress)
    {
        final Path dir = config.dataDir();
        final PathMode mode = PathMode.parse(config.dataPath());
        if (!DataDirectory.isFormatted(dir))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, "no store in " + dir + "; create one with: conduit --data "
                + dir + " format --size SIZE");
        }
        try (ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.BULK, config.queueDepth());
             DataPath path = DataPath.open(new DataPathOptions(mode, config.verify()), scheduled))
        {
            final List<ObjectRecord> shards = shards(scheduled.store(), config, progress);
            final int chunkBytes = shards.getFirst().chunkSizeBytes();
            final Warmup warmup = warmUp(config, path, scheduled, progress);
            final List<LoaderRun> runs = new ArrayList<>();
            if (fio == null)
            {
                runs.add(measure(config, path, scheduled, progress));
                return new LoaderReport(config, shards.size(), chunkBytes, path.kind().label(), warmup, runs, List.of(), List.of());
            }
            final List<Region> regions = StoreBench.regions(StoreBench.namespaceFiles(dir), extents(shards));
            final BenchConfig fioConfig = fioConfig(config, regions);
            final IoPath best = new IoPath(IoPath.IO_URING, true, true, true);
            final List<String> command = FioRunner.command(fio, fioConfig, best, regions);
            final List<VsFio.Round> rounds = VsFio.alternate(config.rounds(), () ->
            {
                final LoaderRun run = measure(config, path, scheduled, progress);
                runs.add(run);
                return run.result();
            }, () -> FioRunner.run(command, fioConfig, progress), progress);
            return new LoaderReport(config, shards.size(), chunkBytes, path.kind().label(), warmup, runs, rounds, command);
        }
    }

    /** One Loader over the prefix for the configured epochs, from a fresh open (indexes come from the sidecars). */
    static LoaderRun measure(final LoaderBenchConfig config, final DataPath path, final ScheduledStore scheduled,
        final Progress progress)
    {
        final LoaderOptions options = new LoaderOptions().prefix(config.prefix()).batchSize(config.batchSize())
            .bufferBytes(config.effectiveBufferBytes()).readAheadBytes(config.readAheadBytes()).seed(42)
            .deferVerification(config.deferVerify());
        if (config.ringSize() > 0)
        {
            options.ringSize(config.ringSize()).prefetchDepth(Math.max(1, config.ringSize() - 1));
        }
        if (config.blockSamples() > 0)
        {
            options.blockSamples(config.blockSamples());
        }
        try (Loader loader = Loader.open(options, path, scheduled.store()))
        {
            final long storageStart = storageBytes(scheduled);            // after the index sidecars were read
            final long total = (long)loader.batchesPerEpoch() * config.epochs();
            final Histogram waitNs = new Histogram(3_600_000_000_000L, 3);
            long samples = 0;
            long bytes = 0;
            long reads = 0;
            final long cpuStartNs = ProcessCpu.nowNs();
            final long startNs = System.nanoTime();
            for (long i = 0; i < total; i++)
            {
                final long askedNs = System.nanoTime();
                try (Batch batch = loader.next())
                {
                    waitNs.recordValue(Math.max(0, System.nanoTime() - askedNs));
                    samples += samples(batch);
                    bytes += batch.usedBytes();
                    reads += batch.readCount();
                }
            }
            final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
            final long cpuNs = ProcessCpu.nowNs() - cpuStartNs;
            progress.note(String.format(Locale.ROOT, "loader: %d samples in %d batches, %.3f s", samples, total, seconds));
            final String detail = "loader, " + path.kind().label() + " path, batch " + config.batchSize();
            return new LoaderRun(samples, total, reads, bytes, seconds, cpuNs,
                BenchResult.of("conduit", detail, bytes, reads, seconds, waitNs), storageBytes(scheduled) - storageStart);
        }
    }

    /**
     * Unmeasured epochs, at least one (the index sidecars get built) and then more until
     * {@link LoaderBenchConfig#warmupNs} has passed: the JIT compiles the read path meanwhile (fio has none). One
     * epoch of a 512 MiB data set is about 0.1 s, and on a 2-core host three 16-epoch rounds after it still sped up
     * round by round (4.4, 5.3, 6.4 GiB/s), so a single warm-up epoch measured the compiler, not the Loader.
     */
    private static Warmup warmUp(final LoaderBenchConfig config, final DataPath path, final ScheduledStore scheduled,
        final Progress progress)
    {
        progress.note(String.format(Locale.ROOT, "warming: unmeasured epochs for %.1f s", config.warmupNs() / 1e9));
        final LoaderBenchConfig oneEpoch = config.withEpochs(1);
        final long startNs = System.nanoTime();
        int epochs = 0;
        do
        {
            measure(oneEpoch, path, scheduled, Progress.silent());
            epochs++;
        }
        while (System.nanoTime() - startNs < config.warmupNs());
        return new Warmup(epochs, (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * Bytes the store's devices have read for {@code BULK} requests (the Loader's class) since they opened;
     * namespaces on one device share its counters, so each device counts once.
     */
    private static long storageBytes(final ScheduledStore scheduled)
    {
        final Set<IoDevice> devices = Collections.newSetFromMap(new IdentityHashMap<>());
        long n = 0;
        for (final TargetHandle target : scheduled.targets())
        {
            if (devices.add(target.device()))
            {
                n += target.device().metrics().counter(Priority.BULK, DeviceCounter.BYTES);
            }
        }
        return n;
    }

    /**
     * Samples in a batch: runs of entries with one sample key (a sample's files are adjacent), padding
     * excluded; read through the batch's indexed accessors, so the measured loop allocates no entry.
     */
    private static long samples(final Batch batch)
    {
        long n = 0;
        String last = null;
        for (int i = 0; i < batch.entryCount(); i++)
        {
            final boolean padding = batch.entryPadding(i);
            final String key = batch.entrySampleKey(i);
            if (!padding && !key.equals(last))
            {
                n++;
            }
            last = padding ? null : key;
        }
        return n;
    }

    /** The shards under the prefix; generated when there are none. */
    static List<ObjectRecord> shards(final ObjectStore store, final LoaderBenchConfig config, final Progress progress)
    {
        final List<ObjectRecord> existing = list(store, config.prefix());
        if (!existing.isEmpty())
        {
            return existing;
        }
        final int perShard = TarShardWriter.samplesPerShard(config.shardBytes(), config.sampleBytes());
        final long count = Math.max(1, config.datasetBytes() / config.shardBytes());
        progress.note("putting " + count + " tar shards of " + perShard + " samples of " + Sizes.fioSize(config.sampleBytes())
            + " under " + config.prefix());
        for (long s = 0; s < count; s++)
        {
            store.put(String.format(Locale.ROOT, "%sshard-%06d.tar", config.prefix(), s),
                TarShardWriter.shard(s * perShard, perShard, (int)config.sampleBytes(), config.shardBytes()), ObjectMetadata.NONE);
        }
        return list(store, config.prefix());
    }

    private static List<ObjectRecord> list(final ObjectStore store, final String prefix)
    {
        final List<ObjectRecord> out = new ArrayList<>();
        store.forEach(prefix, record ->
        {
            if (!record.key().endsWith(SIDECAR_SUFFIX))
            {
                out.add(record);
            }
        });
        return out;
    }

    private static List<Extent> extents(final List<ObjectRecord> shards)
    {
        final List<Extent> out = new ArrayList<>();
        for (final ObjectRecord shard : shards)
        {
            out.addAll(shard.layout().extents());
        }
        return out;
    }

    /**
     * fio's side: one sequential pass over the regions in the largest block (up to 1 MiB) that divides every
     * region's offset and size, at the Loader's queue depth (at least one per region).
     */
    static BenchConfig fioConfig(final LoaderBenchConfig config, final List<Region> regions)
    {
        long block = FIO_BLOCK_BYTES_MAX;
        for (final Region r : regions)
        {
            while (block > 4096 && (r.offsetBytes() % block != 0 || r.sizeBytes() % block != 0))
            {
                block >>= 1;
            }
        }
        return new BenchConfig(BenchConfig.STORE, BenchMode.READ, block, Math.max(config.queueDepth(), regions.size()), 1,
            0, config.fioTimeNs(), 0, true, IoPath.IO_URING, Priority.BULK, config.dataPath(), config.dataDir(), config.rounds(), 0);
    }
}
