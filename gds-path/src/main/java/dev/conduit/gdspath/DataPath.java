package dev.conduit.gdspath;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The public way to move object bytes into (and out of) {@link DeviceBuffer}s on the path this host
 * serves: {@code path.mode} ({@link PathMode}) resolved against {@link PathSelection}'s choice.
 * Only the host path is built; the gds and bounce engines plug in behind {@link PathEngine}.
 *
 * <pre>{@code
 * try (DataPath path = DataPath.open(config, scheduled);
 *      DeviceBufferPool pool = DeviceBufferPool.host(4 << 20, 2);
 *      DeviceBuffer buffer = pool.acquire())
 * {
 *     final long n = path.read("shards/000.tar", 0, 1 << 20, buffer, 0).join();
 * }
 * }</pre>
 *
 * <p>Reads run as {@code BULK} with the store's CRC-32C verified (unless the options turn it off),
 * and each pins the object version it reads, so a concurrent replace never mixes versions.
 *
 * <p>Resources: owns nothing but its statistics; the store and the buffers belong to the caller.
 * {@link #close()} refuses new work and waits for every read in flight, so a caller may return the
 * destination buffers (and close their pool) as soon as it returns.
 *
 * <p>Threading: any thread may read, write and take statistics; futures complete on the scheduler's
 * device threads, so their dependants must not block.
 */
public final class DataPath implements AutoCloseable
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final PathChoice choice;
    private final PathEngine engine;
    private final Map<PathKind, PathRecorder> recorders = new EnumMap<>(PathKind.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private final boolean measureCpu = THREADS.isCurrentThreadCpuTimeSupported();
    private volatile boolean closed;

    private DataPath(final PathChoice choice, final PathEngine engine)
    {
        this.choice = choice;
        this.engine = engine;
        for (final PathKind kind : PathKind.values())
        {
            recorders.put(kind, new PathRecorder(kind));
        }
    }

    /**
     * @param config the process configuration ({@code path.mode}).
     * @param store  the store to read from and write to.
     * @return a data path on the path the configuration and this host allow.
     * @throws ConduitException {@code NOT_SUPPORTED} when a forced path cannot run here (with why).
     */
    public static DataPath open(final ConduitConfig config, final ScheduledStore store)
    {
        return open(DataPathOptions.from(config), store);
    }

    /**
     * Probes CUDA and cuFile (native-bindings) and resolves {@code options.mode()} against the result.
     *
     * @param options mode and verification.
     * @param store   the store.
     * @return a data path.
     */
    public static DataPath open(final DataPathOptions options, final ScheduledStore store)
    {
        final CudaInventory cuda = CudaInventory.collect();
        return open(options, store, PathSelection.select(cuda, CuFileInventory.collect(cuda)));
    }

    /**
     * @param options mode and verification.
     * @param store   the store.
     * @param host    what this host serves (from the probes, or stated by a test).
     * @return a data path.
     * @throws ConduitException {@code NOT_SUPPORTED} when the resolved path cannot run here or is not built.
     */
    public static DataPath open(final DataPathOptions options, final ScheduledStore store, final PathChoice host)
    {
        Objects.requireNonNull(store, "store");
        final PathChoice resolved = options.mode().resolve(host);
        if (resolved.path() != PathKind.HOST)
        {
            throw new ConduitException(ErrorCode.INTERNAL_ERROR, "no engine for " + resolved.path().label());
        }
        return new DataPath(resolved, new HostPathEngine(store, options.verify()));
    }

    /** @return the path reads run on. */
    public PathKind kind()
    {
        return choice.path();
    }

    /** @return why this path was chosen. */
    public String reason()
    {
        return choice.reason();
    }

    /**
     * Reads a byte range of the current version of {@code key} into {@code dst}.
     *
     * @param key               the object.
     * @param objectOffsetBytes first byte within the object.
     * @param lengthBytes       bytes to read; the range must lie within the object.
     * @param dst               destination, lent to the caller.
     * @param dstOffsetBytes    where in {@code dst} the first byte goes.
     * @return completes with {@code lengthBytes}, or exceptionally (checksum mismatch, I/O error); no
     *         byte lands in {@code dst} after it completes.
     * @throws ConduitException {@code INVALID_ARGUMENT} for a range outside {@code dst},
     *                          {@code NOT_FOUND}, or {@code SHUTDOWN} after {@link #close()}.
     */
    public CompletableFuture<Long> read(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes)
    {
        if (lengthBytes < 0 || dstOffsetBytes < 0 || objectOffsetBytes < 0 || dstOffsetBytes > dst.sizeBytes() - lengthBytes)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "read of " + lengthBytes + " bytes at offset "
                + objectOffsetBytes + " of " + key + " into " + dst + " at " + dstOffsetBytes + " does not fit");
        }
        if (lengthBytes == 0)
        {
            return CompletableFuture.completedFuture(0L);
        }
        enter();
        final long cpuStartNs = measureCpu ? THREADS.getCurrentThreadCpuTime() : 0;
        final long startNs = System.nanoTime();
        final CompletableFuture<Long> read;
        try
        {
            read = engine.read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        }
        catch (final RuntimeException | Error e)
        {
            exit();
            throw e;
        }
        final PathRecorder recorder = recorders.get(engine.kind());
        if (measureCpu)
        {
            recorder.onSubmitted(THREADS.getCurrentThreadCpuTime() - cpuStartNs);
        }
        // The returned future completes only after the bookkeeping, so close() can never return first.
        return read.whenComplete((bytes, failure) ->
        {
            recorder.onReadDone(System.nanoTime() - startNs, failure == null ? bytes : 0, failure != null);
            exit();
        });
    }

    /**
     * Submits every read before waiting on any, so the scheduler sees the whole batch at once.
     *
     * @param specs the reads.
     * @return one future per spec, in order; a spec that cannot be submitted gets a failed future and
     *         the others still run.
     */
    public List<CompletableFuture<Long>> readAll(final List<ReadSpec> specs)
    {
        final List<CompletableFuture<Long>> out = new ArrayList<>(specs.size());
        for (final ReadSpec spec : specs)
        {
            try
            {
                out.add(read(spec.key(), spec.objectOffsetBytes(), spec.lengthBytes(), spec.dst(), spec.dstOffsetBytes()));
            }
            catch (final RuntimeException e)
            {
                out.add(CompletableFuture.failedFuture(e));
            }
        }
        return out;
    }

    /**
     * Writes the first {@code lengthBytes} of {@code src} as the new version of {@code key} through a
     * put session on the scheduled store; returns once committed.
     *
     * @param key         the object.
     * @param src         source buffer.
     * @param lengthBytes bytes to write.
     * @param meta        content type and user metadata.
     * @return the committed record.
     */
    public ObjectRecord write(final String key, final DeviceBuffer src, final long lengthBytes, final ObjectMetadata meta)
    {
        if (lengthBytes < 0 || lengthBytes > src.sizeBytes())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT,
                "write of " + lengthBytes + " bytes from " + src + " does not fit");
        }
        enter();
        try
        {
            final ObjectRecord record = engine.write(key, src, lengthBytes, meta);
            recorders.get(engine.kind()).onWritten(lengthBytes);
            return record;
        }
        finally
        {
            exit();
        }
    }

    /** @return a snapshot per path kind (the unused kinds read zero). */
    public Map<PathKind, PathStats> stats()
    {
        final Map<PathKind, PathStats> out = new EnumMap<>(PathKind.class);
        for (final Map.Entry<PathKind, PathRecorder> e : recorders.entrySet())
        {
            out.put(e.getKey(), e.getValue().snapshot());
        }
        return out;
    }

    /** @return reads and writes submitted and not yet completed. */
    public int inFlight()
    {
        return inFlight.get();
    }

    /**
     * Refuses new work, then waits for every read and write in flight to complete; their buffers are
     * the caller's again when this returns. Idempotent.
     *
     * @throws ConduitException {@code INTERRUPTED} if interrupted while waiting (reads still run).
     */
    @Override
    public void close()
    {
        closed = true;
        synchronized (drained)
        {
            while (inFlight.get() != 0)
            {
                try
                {
                    drained.wait(100);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new ConduitException(ErrorCode.INTERRUPTED,
                        "interrupted closing the data path with " + inFlight.get() + " operations in flight", e);
                }
            }
        }
    }

    private void enter()
    {
        inFlight.incrementAndGet();
        if (closed)
        {
            exit();
            throw new ConduitException(ErrorCode.SHUTDOWN, "data path closed");
        }
    }

    private void exit()
    {
        if (inFlight.decrementAndGet() == 0)
        {
            synchronized (drained)
            {
                drained.notifyAll();
            }
        }
    }
}
