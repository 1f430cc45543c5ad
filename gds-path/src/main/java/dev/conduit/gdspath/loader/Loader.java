package dev.conduit.gdspath.loader;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.gdspath.DeviceBufferPool;
import dev.conduit.gdspath.HostBufferRegistration;
import dev.conduit.gdspath.PathKind;

/**
 * The training loader: batches of samples from tar shards or plain objects, read through a
 * {@link DataPath} into a ring of {@code ringSize} {@link DeviceBuffer}s, up to {@code readAheadBytes}
 * (and {@code prefetchDepth} batches) ahead of the consumer, in a deterministic per-epoch order
 * ({@link EpochOrder}) split between ranks. Memory is fixed at open: a consumer that holds batches
 * stops the reads. Each ring buffer has one {@link Batch} object, handed out for every batch it carries.
 *
 * <pre>{@code
 * try (Loader loader = Loader.open(options, path, scheduled.store()))
 * {
 *     for (int i = 0; i < loader.batchesPerEpoch(); i++)
 *     {
 *         try (Batch batch = loader.next()) { train(batch); }
 *         checkpoint(loader.state());      // resume with options.resumeFrom(state)
 *     }
 * }
 * }</pre>
 *
 * <p>Epochs follow one another without end; {@link Batch#epoch()} says which one a batch belongs to.
 *
 * <p>Threading: one consumer thread calls {@link #next()} and {@link #state()}; batches may be
 * closed on any thread. Reads are issued by whichever of those threads finds a free buffer (no thread
 * of its own); they complete on the scheduler's device threads.
 *
 * <p>Resources: owns the ring's {@link DeviceBufferPool}, in the memory the data path reads into
 * ({@link DataPath#bufferPool}: GPU memory on the gds and bounce paths, unless
 * {@link LoaderOptions#hostRing}). {@link #close()} waits for the reads of batches not handed out; the
 * pool is freed once the consumer has closed its batches too (or the framework has deleted the tensors
 * they were handed on as), so release every batch before closing the data path and its GPU runtime.
 */
public final class Loader implements AutoCloseable
{
    private final LoaderOptions options;
    private final DataPath path;
    private final ShardCatalog catalog;
    private final DeviceBufferPool ring;
    private final HostBufferRegistration registration;
    private final int batchesPerEpoch;
    private final int rankStart;
    private final int rankEnd;
    private final boolean wholeChunks;
    private final Object lock = new Object();
    private final BatchPlan plan = new BatchPlan();
    private final int[] samples;
    private final boolean[] padding;
    private final ArrayDeque<Batch> issued = new ArrayDeque<>();
    private final Map<DeviceBuffer, Batch> batches = new IdentityHashMap<>();
    private long issueEpoch;
    private long issueIndex;
    private long orderEpoch = -1;
    private int[] order;
    private final EpochOrder epochOrder;
    private long batchesIssued;
    private long issuedBytes;
    private final LoaderState resumed;
    private boolean deliveredAny;
    private long deliveredEpoch;
    private long deliveredSamples;
    private RuntimeException failure;
    private boolean closed;
    private boolean ringFreed;

    private Loader(final LoaderOptions options, final DataPath path, final ShardCatalog catalog)
    {
        this.options = options;
        this.path = path;
        this.catalog = catalog;
        this.wholeChunks = path.verifies();
        final int n = catalog.totalSamples();
        this.rankStart = EpochOrder.rankStart(n, options.rank(), options.worldSize());
        this.rankEnd = EpochOrder.rankEnd(n, options.rank(), options.worldSize());
        this.batchesPerEpoch = options.lastBatch() == LastBatch.DROP
            ? n / options.worldSize() / options.batchSize()
            : (int)((((long)n + options.worldSize() - 1) / options.worldSize() + options.batchSize() - 1) / options.batchSize());
        if (batchesPerEpoch == 0)
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID, "loader: " + n + " samples over " + options.worldSize()
                + " ranks make no batch of " + options.batchSize() + " with " + options.lastBatch());
        }
        this.resumed = options.resumeState();
        this.issueEpoch = resumed.epoch();
        this.issueIndex = resumed.sampleInEpoch() / options.batchSize();
        if (issueIndex >= batchesPerEpoch)
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID, "loader: state " + resumed + " lies past the epoch's "
                + batchesPerEpoch + " batches");
        }
        this.epochOrder = new EpochOrder(catalog, options.blockSamples(), options.windowSamples());
        this.samples = new int[options.batchSize()];
        this.padding = new boolean[options.batchSize()];
        final boolean deviceRing = !options.hostRing() && path.kind() != PathKind.HOST;
        if (deviceRing && options.deferVerification())
        {
            throw new ConduitException(ErrorCode.CONFIG_INVALID, "loader: deferred verification checks the batch in host "
                + "memory, but on the " + path.kind().label() + " path the ring is device memory (the bounce path verifies "
                + "each read on its pinned host copy; use hostRing for a host ring)");
        }
        this.ring = deviceRing ? path.bufferPool(options.bufferBytes(), options.ringSize())
            : DeviceBufferPool.host(options.bufferBytes(), options.ringSize());
        try
        {
            // Fixed buffers: the kernel pins the ring once instead of on every read (gds-path/README.md). A device
            // ring is the GPU engine's to register (cuFile's buffer registration, or the bounce ring's pinned slots).
            this.registration = options.registerBuffers() && !deviceRing ? path.registerHostBuffers(ring) : null;
        }
        catch (final RuntimeException e)
        {
            ring.close();
            throw e;
        }
    }

    /**
     * Indexes the shards (tar sidecars built and stored where missing) and sets up the ring; reads
     * start with the first {@link #next()}.
     *
     * @param options what to read and how.
     * @param path    the data path reads go through.
     * @param store   the store holding the shards (the one under {@code path}).
     * @return the loader.
     * @throws ConduitException {@code CONFIG_INVALID} for bad options, {@code NOT_FOUND} for missing shards,
     *                          {@code BAD_FORMAT} for an unreadable tar.
     */
    public static Loader open(final LoaderOptions options, final DataPath path, final ObjectStore store)
    {
        options.conclude();
        return new Loader(options, path, ShardCatalog.open(options.shardKeys(), options.prefix(), store, path,
            options.fetchAheadShards()));
    }

    /**
     * Starts reads for as many batches as free buffers and the prefetch depth allow, then waits for
     * the next batch in order; if the consumer holds every buffer, waits until it closes one.
     *
     * @return the next batch; close it when done with its bytes.
     * @throws ConduitException the read's failure (the loader is then failed: every later call throws it).
     */
    public Batch next()
    {
        final Batch head;
        synchronized (lock)
        {
            while (true)
            {
                ensureUsable();
                fill();
                if (!issued.isEmpty())
                {
                    head = issued.poll();
                    issuedBytes -= head.usedBytes();
                    break;
                }
                await();
            }
        }
        Throwable failed = head.reads().await();
        if (failed == null)
        {
            // On the consumer's thread, not the device thread's: the CRC pass of what landed, before anything is handed out.
            failed = head.verifyLanded(path);
        }
        if (failed != null)
        {
            final RuntimeException cause = failed instanceof RuntimeException r ? r
                : new ConduitException(ErrorCode.IO_ERROR, "batch read failed", failed);
            synchronized (lock)
            {
                // Failed before the buffer goes back, so the release does not start reads for later batches.
                failure = failure == null ? cause : failure;
            }
            head.close();
            throw cause;
        }
        synchronized (lock)
        {
            // Kept as numbers (state() makes the record), so a batch costs no state object.
            final boolean lastOfEpoch = head.indexInEpoch() + 1 == batchesPerEpoch;
            deliveredEpoch = lastOfEpoch ? head.epoch() + 1 : head.epoch();
            deliveredSamples = lastOfEpoch ? 0 : (head.indexInEpoch() + 1) * options.batchSize();
            deliveredAny = true;
        }
        return head;
    }

    /** @return where the consumer stands: after the last batch {@link #next()} returned. */
    public LoaderState state()
    {
        synchronized (lock)
        {
            return deliveredAny
                ? new LoaderState(deliveredEpoch, deliveredSamples, options.seed(), options.worldSize(), options.rank())
                : resumed;
        }
    }

    /** @return batches each rank hands out per epoch (equal on every rank). */
    public int batchesPerEpoch()
    {
        return batchesPerEpoch;
    }

    /** @return samples in all shards. */
    public int totalSamples()
    {
        return catalog.totalSamples();
    }

    /** @return batches whose reads were started since open. */
    public long batchesIssued()
    {
        synchronized (lock)
        {
            return batchesIssued;
        }
    }

    /**
     * @return why some ring buffer is not registered with the store's devices (reads into it then pin
     *         its pages per read), or empty when all are, or when {@link LoaderOptions#registerBuffers} is off.
     */
    public String registrationProblem()
    {
        return registration == null ? "" : registration.problem();
    }

    /** @return the ring's buffers not lent to a batch right now. */
    public int freeBuffers()
    {
        return ring.available();
    }

    /**
     * Stops reading, waits for the reads of batches not yet handed out and returns their buffers.
     * The ring's memory is freed now if the consumer holds no batch, else when it closes the last.
     */
    @Override
    public void close()
    {
        final List<Batch> unclaimed;
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            unclaimed = List.copyOf(issued);
            issued.clear();
            issuedBytes = 0;
        }
        for (final Batch batch : unclaimed)
        {
            batch.close();
        }
        freeRingIfIdle();
    }

    /** A batch went back to the ring: refill within the prefetch depth and wake a waiting {@link #next()}. */
    void onReleased()
    {
        synchronized (lock)
        {
            if (!closed && failure == null)
            {
                try
                {
                    fill();
                }
                catch (final RuntimeException e)
                {
                    failure = e;
                }
            }
            lock.notifyAll();
        }
        if (closed)
        {
            freeRingIfIdle();
        }
    }

    /**
     * Under the lock: issues batches while the prefetch depth and the read-ahead bytes allow and a buffer
     * is free. Counted in bytes so that the device's queue stays deep whatever the batch size (fio at its
     * best keeps 32 MiB in flight; a few small batches leave the device idle between them).
     */
    private void fill()
    {
        final long readAheadBytes = options.readAheadBytes();
        while (issued.size() < options.prefetchDepth() && (readAheadBytes == 0 || issued.isEmpty() || issuedBytes < readAheadBytes))
        {
            final DeviceBuffer buffer = ring.tryAcquire();
            if (buffer == null)
            {
                return;
            }
            try
            {
                final Batch batch = issue(buffer);
                issued.add(batch);
                issuedBytes += batch.usedBytes();
            }
            catch (final RuntimeException | Error e)
            {
                buffer.close();
                throw e;
            }
        }
    }

    private Batch issue(final DeviceBuffer buffer)
    {
        final int batchSize = options.batchSize();
        if (orderEpoch != issueEpoch)
        {
            order = epochOrder.permute(options.seed(), issueEpoch);
            orderEpoch = issueEpoch;
        }
        final int rankLength = rankEnd - rankStart;
        for (int i = 0; i < batchSize; i++)
        {
            final long position = rankStart + issueIndex * batchSize + i;
            if (position < rankEnd)
            {
                samples[i] = order[(int)position];
                padding[i] = false;
            }
            else
            {
                final long repeat = position - rankEnd;
                samples[i] = rankLength > 0 ? order[rankStart + (int)(repeat % rankLength)] : order[(int)(repeat % order.length)];
                padding[i] = true;
            }
        }
        Batch batch = batches.get(buffer);
        if (batch == null)
        {
            // One batch object per ring buffer, handed out again for every batch it carries (no allocation per batch).
            batch = new Batch(this, buffer, options.deferVerification());
            batches.put(buffer, batch);
        }
        plan.plan(catalog, samples, padding, buffer, options.coalesceGapBytes(), wholeChunks, batch.table());
        batch.begin(issueEpoch, issueIndex, plan.runCount(), plan.readBytes());
        final BatchReads reads = batch.reads();
        for (int r = 0; r < plan.runCount(); r++)
        {
            try
            {
                reads.expect(r, plan.runStart(r), plan.runLength(r), plan.runAt(r));
                path.read(catalog.shardKey(plan.runShard(r)), plan.runStart(r), plan.runLength(r), buffer, plan.runAt(r), reads, r);
            }
            catch (final RuntimeException e)
            {
                // As readAll: the batch fails, but only once the reads already started are done with the buffer.
                reads.onRead(r, e);
            }
        }
        batchesIssued++;
        issueIndex++;
        if (issueIndex == batchesPerEpoch)
        {
            issueIndex = 0;
            issueEpoch++;
        }
        return batch;
    }

    private void ensureUsable()
    {
        if (closed)
        {
            throw new ConduitException(ErrorCode.SHUTDOWN, "loader closed");
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void await()
    {
        try
        {
            lock.wait();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted waiting for a batch buffer", e);
        }
    }

    private void freeRingIfIdle()
    {
        synchronized (lock)
        {
            if (ring.available() == ring.capacity() && !ringFreed)
            {
                ringFreed = true;
                try
                {
                    if (registration != null)
                    {
                        registration.close();
                    }
                }
                finally
                {
                    ring.close();
                }
            }
        }
    }
}
