package dev.conduit.gdspath.loader;

import java.util.List;
import java.util.Objects;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * What a {@link Loader} reads and how. Filled with the fluent setters, checked once by
 * {@link Loader#open}.
 *
 * <pre>{@code
 * final LoaderOptions options = new LoaderOptions()
 *     .prefix("train/").batchSize(256).bufferBytes(64 << 20).ringSize(4).prefetchDepth(2)
 *     .seed(42).rank(rank).worldSize(world).lastBatch(LastBatch.PAD);
 * }</pre>
 *
 * <p>Threading: not thread-safe; fill it, then hand it over.
 */
public final class LoaderOptions
{
    /** Default bytes per batch buffer. */
    public static final long BUFFER_BYTES_DEFAULT = 64L << 20;
    /** Default gap between two samples of a shard that one range read still spans. */
    public static final long COALESCE_GAP_BYTES_DEFAULT = 64L << 10;
    /**
     * Default bytes read ahead of the consumer: what fio keeps in flight at its best on one device (32
     * reads of 1 MiB), so the device's queue never runs dry between batches (gds-path/README.md).
     */
    public static final long READ_AHEAD_BYTES_DEFAULT = 32L << 20;
    /** Fewest ring buffers a loader sizes its ring to when {@link #ringSize} is not set. */
    public static final int RING_SIZE_MIN = 4;

    /** Most buffers a default ring has (a read-ahead far above the buffer size would otherwise ask for thousands). */
    private static final int RING_SIZE_AUTO_MAX = 64;

    private List<String> shardKeys = List.of();
    private String prefix = "";
    private int batchSize = 32;
    private long bufferBytes = BUFFER_BYTES_DEFAULT;
    private int ringSize;
    private boolean ringSizeSet;
    private long readAheadBytes = READ_AHEAD_BYTES_DEFAULT;
    private int prefetchDepth;
    private boolean prefetchDepthSet;
    private long seed;
    private int blockSamples = 16;
    private int windowSamples;
    private int rank;
    private int worldSize = 1;
    private LastBatch lastBatch = LastBatch.PAD;
    private long coalesceGapBytes = COALESCE_GAP_BYTES_DEFAULT;
    private LoaderState resumeFrom;
    private int fetchAheadShards = 4;
    private boolean registerBuffers = true;
    private boolean deferVerification;
    private boolean hostRing;

    /**
     * @param shardKeys the shards, in order (takes precedence over {@link #prefix}).
     * @return this.
     */
    public LoaderOptions shardKeys(final List<String> shardKeys)
    {
        this.shardKeys = List.copyOf(shardKeys);
        return this;
    }

    /**
     * @param prefix list every object with this prefix (sorted by key, {@code .idx} sidecars skipped).
     * @return this.
     */
    public LoaderOptions prefix(final String prefix)
    {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /**
     * @param batchSize samples per batch.
     * @return this.
     */
    public LoaderOptions batchSize(final int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    /**
     * @param bufferBytes bytes per ring buffer; a batch whose reads need more fails.
     * @return this.
     */
    public LoaderOptions bufferBytes(final long bufferBytes)
    {
        this.bufferBytes = bufferBytes;
        return this;
    }

    /**
     * @param ringSize buffers in the ring: the most batches in flight or held by the consumer. By default
     *                 enough buffers to keep {@link #readAheadBytes} in flight with one held by the consumer,
     *                 counting each batch as a whole buffer ({@code ceil(readAheadBytes / bufferBytes) + 1}),
     *                 and at least {@link #RING_SIZE_MIN}: size {@code bufferBytes} to the batch, since the
     *                 ring costs {@code ringSize x bufferBytes} of memory.
     * @return this.
     */
    public LoaderOptions ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        this.ringSizeSet = true;
        return this;
    }

    /**
     * @param readAheadBytes bytes of batches read ahead of the consumer (their planned reads): the loader
     *                       starts another batch while fewer are issued and not yet handed out, within
     *                       {@link #prefetchDepth} and the free buffers (at least one batch always);
     *                       default {@link #READ_AHEAD_BYTES_DEFAULT}; 0 counts batches only.
     * @return this.
     */
    public LoaderOptions readAheadBytes(final long readAheadBytes)
    {
        this.readAheadBytes = readAheadBytes;
        return this;
    }

    /**
     * @param prefetchDepth batches read ahead of the consumer, {@code 1..ringSize}; by default
     *                      {@code ringSize - 1} (at least 1): every buffer the consumer does not hold is
     *                      being filled, which keeps the most bytes in flight the ring allows (the device
     *                      idled between batches at a depth of 2; gds-path/README.md).
     * @return this.
     */
    public LoaderOptions prefetchDepth(final int prefetchDepth)
    {
        this.prefetchDepth = prefetchDepth;
        this.prefetchDepthSet = true;
        return this;
    }

    /**
     * @param seed the shuffle seed; the same seed gives the same order.
     * @return this.
     */
    public LoaderOptions seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    /**
     * @param blockSamples consecutive samples of a shard kept together by the shuffle.
     * @return this.
     */
    public LoaderOptions blockSamples(final int blockSamples)
    {
        this.blockSamples = blockSamples;
        return this;
    }

    /**
     * @param windowSamples positions shuffled together after the block shuffle; 0 means the batch size, 1 none.
     * @return this.
     */
    public LoaderOptions windowSamples(final int windowSamples)
    {
        this.windowSamples = windowSamples;
        return this;
    }

    /**
     * @param rank this process's rank, {@code 0..worldSize-1}.
     * @return this.
     */
    public LoaderOptions rank(final int rank)
    {
        this.rank = rank;
        return this;
    }

    /**
     * @param worldSize ranks sharing the data.
     * @return this.
     */
    public LoaderOptions worldSize(final int worldSize)
    {
        this.worldSize = worldSize;
        return this;
    }

    /**
     * @param lastBatch drop or pad the epoch's last batch.
     * @return this.
     */
    public LoaderOptions lastBatch(final LastBatch lastBatch)
    {
        this.lastBatch = Objects.requireNonNull(lastBatch, "lastBatch");
        return this;
    }

    /**
     * @param coalesceGapBytes two samples of one shard in one batch are read with one range when at most this
     *                         many bytes (tar headers, skipped samples) lie between them, or, when the data
     *                         path verifies CRC-32C, when they touch the same chunk (read whole either way).
     * @return this.
     */
    public LoaderOptions coalesceGapBytes(final long coalesceGapBytes)
    {
        this.coalesceGapBytes = coalesceGapBytes;
        return this;
    }

    /**
     * @param state continue from here; its seed, rank and world size replace this object's.
     * @return this.
     */
    public LoaderOptions resumeFrom(final LoaderState state)
    {
        this.resumeFrom = Objects.requireNonNull(state, "state");
        this.seed = state.seed();
        this.rank = state.rank();
        this.worldSize = state.worldSize();
        return this;
    }

    /**
     * @param fetchAheadShards when the data path reads through a {@link dev.conduit.gdspath.MissingKeySource}
     *                         (a cold tier), how many shards that are not local are fetched at once, in shard
     *                         order, ahead of the one being indexed.
     * @return this.
     */
    public LoaderOptions fetchAheadShards(final int fetchAheadShards)
    {
        this.fetchAheadShards = fetchAheadShards;
        return this;
    }

    /**
     * @param registerBuffers register the ring with the store's devices (io_uring fixed buffers, on by
     *                        default): reads skip the kernel's per-read page pinning, at the cost of the
     *                        whole ring ({@code ringSize x bufferBytes}) staying pinned in memory while
     *                        the loader is open, counted against {@code RLIMIT_MEMLOCK}.
     * @return this.
     */
    public LoaderOptions registerBuffers(final boolean registerBuffers)
    {
        this.registerBuffers = registerBuffers;
        return this;
    }

    boolean registerBuffers()
    {
        return registerBuffers;
    }

    /**
     * @param deferVerification when the data path verifies: check the CRC-32C of what landed in a batch's
     *                          buffer on the consumer's thread, in {@code next()} before the batch is handed
     *                          out, instead of on the scheduler's device thread as each read completes (off by
     *                          default: on the shared 2-core VM the pass then cost more CPU, over bytes no
     *                          longer in cache; see gds-path/README.md). A mismatch fails the batch the same way.
     * @return this.
     */
    public LoaderOptions deferVerification(final boolean deferVerification)
    {
        this.deferVerification = deferVerification;
        return this;
    }

    boolean deferVerification()
    {
        return deferVerification;
    }

    /**
     * @param hostRing keep the ring in host memory even when the data path reads into a GPU (off by
     *                 default: on the {@code gds} and {@code bounce} paths the ring is device memory of the
     *                 path's GPU, so batches land where the model reads them). For pipelines that decode
     *                 on the CPU; the reads then take the host path.
     * @return this.
     */
    public LoaderOptions hostRing(final boolean hostRing)
    {
        this.hostRing = hostRing;
        return this;
    }

    boolean hostRing()
    {
        return hostRing;
    }

    int fetchAheadShards()
    {
        return fetchAheadShards;
    }

    List<String> shardKeys()
    {
        return shardKeys;
    }

    String prefix()
    {
        return prefix;
    }

    int batchSize()
    {
        return batchSize;
    }

    long bufferBytes()
    {
        return bufferBytes;
    }

    int ringSize()
    {
        if (ringSizeSet || bufferBytes < 1)
        {
            return ringSize;
        }
        final long perBuffer = (readAheadBytes + bufferBytes - 1) / bufferBytes + 1;
        return (int)Math.max(RING_SIZE_MIN, Math.min(perBuffer, RING_SIZE_AUTO_MAX));
    }

    int prefetchDepth()
    {
        return prefetchDepthSet ? prefetchDepth : Math.max(1, ringSize() - 1);
    }

    long readAheadBytes()
    {
        return readAheadBytes;
    }

    long seed()
    {
        return seed;
    }

    int blockSamples()
    {
        return blockSamples;
    }

    int windowSamples()
    {
        return windowSamples == 0 ? batchSize : windowSamples;
    }

    int rank()
    {
        return rank;
    }

    int worldSize()
    {
        return worldSize;
    }

    LastBatch lastBatch()
    {
        return lastBatch;
    }

    long coalesceGapBytes()
    {
        return coalesceGapBytes;
    }

    LoaderState resumeState()
    {
        return resumeFrom != null ? resumeFrom : new LoaderState(0, 0, seed, worldSize, rank);
    }

    /** Checks every value once, naming the first that is out of range. */
    void conclude()
    {
        require(batchSize >= 1, "batchSize must be >= 1: " + batchSize);
        require(bufferBytes >= 1, "bufferBytes must be >= 1: " + bufferBytes);
        require(ringSize() >= 1, "ringSize must be >= 1: " + ringSize());
        require(prefetchDepth() >= 1 && prefetchDepth() <= ringSize(),
            "prefetchDepth must be 1..ringSize (" + ringSize() + "): " + prefetchDepth());
        require(readAheadBytes >= 0, "readAheadBytes must be >= 0: " + readAheadBytes);
        require(blockSamples >= 1, "blockSamples must be >= 1: " + blockSamples);
        require(windowSamples >= 0, "windowSamples must be >= 0: " + windowSamples);
        require(worldSize >= 1 && rank >= 0 && rank < worldSize, "rank must be 0..worldSize-1: " + rank + " of " + worldSize);
        require(coalesceGapBytes >= 0, "coalesceGapBytes must be >= 0: " + coalesceGapBytes);
        require(fetchAheadShards >= 1, "fetchAheadShards must be >= 1: " + fetchAheadShards);
        require(!shardKeys.isEmpty() || !prefix.isEmpty(), "give shard keys or a prefix");
        require(resumeFrom == null || resumeFrom.sampleInEpoch() % batchSize == 0,
            "the state's sampleInEpoch " + (resumeFrom == null ? 0 : resumeFrom.sampleInEpoch())
                + " is not a multiple of batchSize " + batchSize);
    }

    private static void require(final boolean ok, final String why)
    {
        if (!ok)
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID, "loader: " + why);
        }
    }
}
