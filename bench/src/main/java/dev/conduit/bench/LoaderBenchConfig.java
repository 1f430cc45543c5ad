package dev.conduit.bench;

import java.nio.file.Path;
import java.util.Objects;

import dev.conduit.gdspath.loader.LoaderOptions;

/**
 * One {@code conduit bench --loader} run, validated.
 *
 * @param prefix       the shards' key prefix; shards are generated there when it holds none.
 * @param batchSize    samples per batch.
 * @param epochs       epochs per measured run.
 * @param sampleBytes  bytes per generated sample.
 * @param shardBytes   largest generated shard (4 MiB: the comparison).
 * @param datasetBytes bytes of shards to generate.
 * @param ringSize     the loader's ring of batch buffers (prefetch is one less, at least 1); 0 for the Loader's
 *                     default (enough buffers for {@code readAheadBytes}).
 * @param bufferBytes  bytes per ring buffer; 0 sizes it from the batch and sample size.
 * @param queueDepth   the store devices' queue depth, and fio's total depth.
 * @param rounds       with fio: Loader/fio pairs taken in turns.
 * @param dataPath     {@code host}, {@code bounce} or {@code gds}.
 * @param dataDir      the store.
 * @param blockSamples consecutive samples the shuffle keeps together; 0 for the Loader's default.
 * @param verify       check the store's CRC-32C on every read (the Loader's default; fio checks nothing).
 * @param readAheadBytes bytes of batches the Loader reads ahead of the consumer ({@code LoaderOptions.readAheadBytes}).
 * @param deferVerify  verify on the Loader's consumer thread before a batch is handed out ({@code LoaderOptions.deferVerification}).
 * @param warmupNs     unmeasured Loader epochs run until this long has passed (at least one), so the measured rounds
 *                     see compiled code: C2 compiles the read path over seconds on two busy cores, not in one epoch.
 * @param fioTimeNs    with fio: each fio round reads the extents over and over for this long ({@code time_based});
 *                     0 reads them once.
 */
public record LoaderBenchConfig(
    String prefix, int batchSize, int epochs, long sampleBytes, long shardBytes, long datasetBytes, int ringSize,
    long bufferBytes, int queueDepth, int rounds, String dataPath, Path dataDir, int blockSamples, boolean verify,
    long readAheadBytes, boolean deferVerify, long warmupNs, long fioTimeNs)
{
    /** Default {@link #warmupNs}: long enough for the JIT to finish with the read path on a 2-core host. */
    public static final long WARMUP_NS_DEFAULT = 5_000_000_000L;
    /** Default {@link #fioTimeNs}: one pass of a 512 MiB data set takes fio about 60 ms, too short to compare. */
    public static final long FIO_TIME_NS_DEFAULT = 1_000_000_000L;

    /** Where generated shards go when no prefix is named. */
    public static final String PREFIX_DEFAULT = "conduit-bench/shards/";

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public LoaderBenchConfig
    {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(dataPath, "dataPath");
        Objects.requireNonNull(dataDir, "dataDir");
        require(!prefix.isEmpty(), "--loader needs a key prefix");
        require(batchSize >= 1, "--batch must be >= 1: " + batchSize);
        require(epochs >= 1, "--epochs must be >= 1: " + epochs);
        require(sampleBytes >= 1 && sampleBytes <= Integer.MAX_VALUE / 4, "--sample-size must be 1..512m: " + sampleBytes);
        require(shardBytes >= 4096, "--shard-size must be at least 4k: " + shardBytes);
        require(datasetBytes >= shardBytes, "--size (the data set) must be at least one shard: " + datasetBytes);
        require(ringSize >= 0, "--ring must be >= 0: " + ringSize);
        require(readAheadBytes >= 0, "--read-ahead must be >= 0: " + readAheadBytes);
        require(bufferBytes >= 0, "--buffer must be >= 0: " + bufferBytes);
        require(queueDepth >= 1 && queueDepth <= 4096, "--qd must be between 1 and 4096: " + queueDepth);
        require(rounds >= 1 && rounds <= 99, "--rounds must be between 1 and 99: " + rounds);
        require(blockSamples >= 0, "--block must be >= 0: " + blockSamples);
        require(warmupNs >= 0, "--ramp must not be negative: " + warmupNs);
        require(fioTimeNs >= 0, "--time must not be negative: " + fioTimeNs);
    }

    /**
     * The Loader's default shuffle blocks and read-ahead, with CRC-32C verification, one warm-up epoch and one fio pass.
     *
     * @see #LoaderBenchConfig(String, int, int, long, long, long, int, long, int, int, String, Path, int, boolean, long, boolean,
     *      long, long)
     */
    public LoaderBenchConfig(
        final String prefix, final int batchSize, final int epochs, final long sampleBytes, final long shardBytes,
        final long datasetBytes, final int ringSize, final long bufferBytes, final int queueDepth, final int rounds,
        final String dataPath, final Path dataDir)
    {
        this(prefix, batchSize, epochs, sampleBytes, shardBytes, datasetBytes, ringSize, bufferBytes, queueDepth, rounds,
            dataPath, dataDir, 0, true, LoaderOptions.READ_AHEAD_BYTES_DEFAULT, false, 0, 0);
    }

    /**
     * @param newEpochs epochs per run.
     * @return this configuration with another epoch count.
     */
    public LoaderBenchConfig withEpochs(final int newEpochs)
    {
        return new LoaderBenchConfig(prefix, batchSize, newEpochs, sampleBytes, shardBytes, datasetBytes, ringSize, bufferBytes,
            queueDepth, rounds, dataPath, dataDir, blockSamples, verify, readAheadBytes, deferVerify, warmupNs, fioTimeNs);
    }

    /** @return the ring buffer size: {@code bufferBytes}, or a batch of samples with the coalescing gap each. */
    public long effectiveBufferBytes()
    {
        return bufferBytes > 0 ? bufferBytes : batchSize * (sampleBytes + TarShardWriter.BLOCK_BYTES + (64L << 10));
    }

    private static void require(final boolean ok, final String why)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(why);
        }
    }
}
