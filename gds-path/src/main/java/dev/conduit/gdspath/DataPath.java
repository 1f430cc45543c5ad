package dev.conduit.gdspath;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.config.ConduitConfig;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.nativebindings.cuda.CudaInventory;
import dev.conduit.nativebindings.cufile.CuFileInventory;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The public way to move object bytes into (and out of) {@link DeviceBuffer}s on the path this host
 * serves: {@code path.mode} ({@link PathMode}) resolved against what this host can do (the
 * {@link GpuRuntime} that opened, or {@link PathSelection}'s probes). Device buffers go through the
 * GDS engine ({@link GdsEngine}, small reads bounced) or the bounce engine ({@link BounceEngine});
 * host buffers always take the host path, so CPU jobs and CI run the same code. Every read is
 * counted under the path it took.
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
 * <p>Resources: owns its engines (their threads, pinned rings, cuFile handles, batches and
 * registrations); the store, the {@link GpuRuntime} and the buffers belong to the caller.
 * {@link #close()} refuses new work, waits for every read in flight (never freeing memory the
 * hardware may still write), then closes the engines, so a caller may return the destination
 * buffers (and close their pool) as soon as it returns.
 *
 * <p>Threading: any thread may read, write and take statistics; futures complete on the scheduler's
 * device threads, so their dependants must not block.
 */
public final class DataPath implements AutoCloseable
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final PathChoice choice;
    private final PathEngine engine;
    private final PathEngine host;
    private final GpuRuntime gpu;
    private final Map<PathKind, PathRecorder> recorders = new EnumMap<>(PathKind.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HostRead.Pool hostReads = new HostRead.Pool(this::onHostReadDone);
    private final Object drained = new Object();
    private final boolean measureCpu = THREADS.isCurrentThreadCpuTimeSupported();
    private volatile boolean closed;
    private boolean enginesClosed;
    private GpuRuntime ownedGpu;
    private volatile MissingKeySource missingKeys;

    private DataPath(final PathChoice choice, final PathEngine engine, final PathEngine host, final GpuRuntime gpu)
    {
        this.choice = choice;
        this.engine = engine;
        this.host = host;
        this.gpu = engine == null ? null : gpu;
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
     * Probes CUDA and cuFile (native-bindings) and resolves {@code options.mode()} against the result;
     * on a GPU host it opens (and owns) a {@link GpuRuntime} of device 0.
     *
     * @param options mode and verification.
     * @param store   the store.
     * @return a data path.
     */
    public static DataPath open(final DataPathOptions options, final ScheduledStore store)
    {
        final CudaInventory cuda = CudaInventory.collect();
        final PathChoice probed = PathSelection.select(cuda, CuFileInventory.collect(cuda));
        if (probed.path() == PathKind.HOST || options.mode() == PathMode.HOST)
        {
            return open(options, store, probed);
        }
        final GpuRuntime gpu = GpuRuntime.open(0);
        try
        {
            final DataPath path = open(options, store, gpu);
            path.ownedGpu = gpu;
            return path;
        }
        catch (final RuntimeException e)
        {
            gpu.close();
            throw e;
        }
    }

    /**
     * Host-only form: the probes' choice decides, but no GPU engine is opened here, so a choice of
     * {@code gds} or {@code bounce} must come with a {@link GpuRuntime} ({@link #open(DataPathOptions,
     * ScheduledStore, GpuRuntime)}); this form resolves them as unavailable.
     *
     * @param options mode and verification.
     * @param store   the store.
     * @param host    what this host serves (from the probes, or stated by a test).
     * @return a data path.
     * @throws ConduitException {@code PATH_UNAVAILABLE} when a forced GPU path cannot run.
     */
    public static DataPath open(final DataPathOptions options, final ScheduledStore store, final PathChoice host)
    {
        Objects.requireNonNull(store, "store");
        final PathChoice hostOnly = host.path() == PathKind.HOST ? host
            : new PathChoice(PathKind.HOST, "this host could serve " + host.path().label() + " (" + host.reason()
                + ") but no GPU runtime was opened for this data path");
        final PathChoice resolved = options.mode().resolve(hostOnly, options.allowFallback());
        return new DataPath(resolved, null, new HostPathEngine(store, options.verify()), null);
    }

    /**
     * Opens on a GPU: {@code gds} when {@code gpu} has a cuFile session, else {@code bounce}
     * (or what {@code path.mode} forces, where {@code gpu} can serve it). A GDS engine that fails to
     * open falls back to bounce under {@code auto} (reported in {@link #reason()}), and fails otherwise.
     *
     * @param options the options.
     * @param store   the store.
     * @param gpu     the device (owned by the caller; close it after this data path).
     * @return a data path.
     * @throws ConduitException {@code PATH_UNAVAILABLE} for a forced path {@code gpu} cannot serve.
     */
    public static DataPath open(final DataPathOptions options, final ScheduledStore store, final GpuRuntime gpu)
    {
        Objects.requireNonNull(store, "store");
        final PathChoice resolved = options.mode().resolve(gpu.choice(), options.allowFallback());
        final HostPathEngine host = new HostPathEngine(store, options.verify());
        return switch (resolved.path())
        {
            case HOST -> new DataPath(resolved, null, host, null);
            case BOUNCE -> new DataPath(resolved, new BounceEngine(store, gpu, options), host, gpu);
            case GDS -> openGds(options, store, gpu, resolved, host);
        };
    }

    private static DataPath openGds(
        final DataPathOptions options, final ScheduledStore store, final GpuRuntime gpu, final PathChoice resolved,
        final HostPathEngine host)
    {
        try
        {
            return new DataPath(resolved, new GdsEngine(store, gpu, gpu.cufile().orElseThrow(), options), host, gpu);
        }
        catch (final RuntimeException e)
        {
            if (options.mode() != PathMode.AUTO && !options.allowFallback())
            {
                throw new ConduitException(ErrorCode.PATH_UNAVAILABLE, "path.mode=gds but the GDS engine did not open: "
                    + e.getMessage(), e);
            }
            final PathChoice fallback = new PathChoice(PathKind.BOUNCE, "the GDS engine did not open (" + e.getMessage()
                + "); fell back to bounce");
            return new DataPath(fallback, new BounceEngine(store, gpu, options), host, gpu);
        }
    }

    /**
     * @return whether reads check the store's CRC-32C: a verified read reads every chunk it touches
     *         whole, so a caller that lays reads out (the {@code Loader}) widens them to whole chunks and
     *         gets them straight into its buffer instead of partly through the store's staging.
     */
    public boolean verifies()
    {
        return ((HostPathEngine)host).verifies();
    }

    /**
     * The caller's half of a host read completed to a {@link DeferredVerifyCallback}: checks the CRC-32C of
     * every store chunk wholly inside the read's range as it landed in host memory. Runs on the caller's
     * thread and allocates nothing unless a chunk mismatches.
     *
     * @param version           the record {@link DeferredVerifyCallback#onUnverified} gave.
     * @param objectOffsetBytes the read's first byte within the object.
     * @param lengthBytes       the read's length.
     * @param dst               a buffer view of the read's destination buffer (its position and limit are changed).
     * @param dstOffsetBytes    where in it the read's first byte went.
     * @param crc               a checksum the calling thread owns.
     * @return null when the bytes match, else the mismatch (what a read verified by the store fails with).
     */
    public CorruptExtentException verifyLanded(final ObjectRecord version, final long objectOffsetBytes, final long lengthBytes,
        final ByteBuffer dst, final long dstOffsetBytes, final CRC32C crc)
    {
        return ((HostPathEngine)host).verifyLanded(version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes, crc);
    }

    /** @return the path reads into device buffers run on ({@code host} when there is no GPU engine). */
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
        checkRange(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        if (lengthBytes == 0)
        {
            return CompletableFuture.completedFuture(0L);
        }
        final PathEngine route = route(dst);
        enter();
        final long cpuStartNs = measureCpu ? THREADS.getCurrentThreadCpuTime() : 0;
        final long startNs = System.nanoTime();
        final CompletableFuture<Long> read;
        try
        {
            read = submit(route, key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        }
        catch (final RuntimeException | Error e)
        {
            exit();
            throw e;
        }
        final PathRecorder recorder = recorders.get(route.pathFor(lengthBytes));
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
     * The callback form of {@link #read(String, long, long, DeviceBuffer, long)}: the same read, checks,
     * statistics and exceptions, completed through {@code callback} instead of a future. On the host
     * path it allocates no future and no request (pooled contexts): what a loop that reads all the
     * time (the training {@code Loader}) uses. Device buffers and keys fetched by the missing-key
     * source take the future form underneath.
     *
     * @param key               the object.
     * @param objectOffsetBytes first byte within the object.
     * @param lengthBytes       bytes to read; the range must lie within the object.
     * @param dst               destination, lent to the caller.
     * @param dstOffsetBytes    where in {@code dst} the first byte goes.
     * @param callback          called once when no more bytes will land in {@code dst} (not when this throws).
     * @param tag               passed to the callback.
     * @throws ConduitException as the future form, before anything is submitted.
     */
    public void read(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes, final ReadCallback callback, final long tag)
    {
        checkRange(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        final PathEngine route = lengthBytes == 0 ? null : route(dst);
        if (route != host)
        {
            completeThrough(read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes), callback, tag);
            return;
        }
        enter();
        final long cpuStartNs = measureCpu ? THREADS.getCurrentThreadCpuTime() : 0;
        final PathRecorder recorder = recorders.get(PathKind.HOST);
        final HostRead read = hostReads.take(recorder, callback, tag, System.nanoTime(), lengthBytes);
        try
        {
            ((HostPathEngine)host).read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes, read);
        }
        catch (final RuntimeException | Error e)
        {
            read.abandon();
            exit();
            if (missingKeys != null && e instanceof final ConduitException c && c.code() == ErrorCode.NOT_FOUND)
            {
                completeThrough(read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes), callback, tag);
                return;
            }
            throw e;
        }
        if (measureCpu)
        {
            recorder.onSubmitted(THREADS.getCurrentThreadCpuTime() - cpuStartNs);
        }
    }

    /**
     * The future form's outcome through a callback, with the read's own exception: a dependent stage sees the
     * future's failure wrapped in a {@link CompletionException}, which the callback's caller would otherwise
     * get instead of the {@link ConduitException} the host path gives.
     */
    private static void completeThrough(final CompletableFuture<Long> read, final ReadCallback callback, final long tag)
    {
        read.whenComplete((bytes, failure) -> callback.onRead(tag,
            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
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
     * Writes the first {@code lengthBytes} of {@code src} as the new version of {@code key}, with the
     * store's durability and checksums; returns once committed. Host buffers and the bounce path go
     * through a put session (device buffers staged in pinned host memory); the GDS path writes the
     * whole blocks with cuFile batch entries into a direct put's extents (checksums per
     * {@link GdsVerify}, see the module README).
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
            final PathEngine route = route(src);
            final long cpuStartNs = measureCpu ? THREADS.getCurrentThreadCpuTime() : 0;
            final ObjectRecord record = route.write(key, src, lengthBytes, meta);
            recorders.get(route.kind()).onWritten(lengthBytes, measureCpu ? THREADS.getCurrentThreadCpuTime() - cpuStartNs : 0);
            return record;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Registers a host pool's slabs with the store's devices (io_uring fixed buffers), so host-path
     * reads into its buffers skip the kernel's per-read page pinning; see {@link HostBufferRegistration}
     * for what it costs. Close the registration before the pool.
     *
     * @param pool a host pool (a GPU pool registers nothing here).
     * @return the registrations; {@link HostBufferRegistration#problem()} says why any could not be made.
     */
    public HostBufferRegistration registerHostBuffers(final DeviceBufferPool pool)
    {
        return ((HostPathEngine)host).registerBuffers(pool);
    }

    /**
     * A pool of the memory this path reads into: device memory of its GPU on the {@code gds} and
     * {@code bounce} paths, host memory on the host path. The caller owns the pool; close it after
     * the reads into its buffers ended and before the data path's {@link GpuRuntime}.
     *
     * @param bufferBytes size of each buffer.
     * @param count       buffers.
     * @return the pool.
     */
    public DeviceBufferPool bufferPool(final long bufferBytes, final int count)
    {
        return gpu == null ? DeviceBufferPool.host(bufferBytes, count) : DeviceBufferPool.device(gpu, bufferBytes, count);
    }

    /**
     * Reads of keys that are not in the store ask {@code source} to make them local, then run on
     * the normal path (read-through, e.g. a cold tier); without one they fail {@code NOT_FOUND}.
     *
     * @param source where missing keys come from, or null for none.
     * @return this data path.
     */
    public DataPath withMissingKeys(final MissingKeySource source)
    {
        this.missingKeys = source;
        return this;
    }

    /** @return where missing keys come from, if reads go through one. */
    public Optional<MissingKeySource> missingKeys()
    {
        return Optional.ofNullable(missingKeys);
    }

    /** @return a snapshot per path kind (the unused kinds read zero). */
    public Map<PathKind, PathStats> stats()
    {
        final Map<PathKind, PathStats> out = new EnumMap<>(PathKind.class);
        for (final Map.Entry<PathKind, PathRecorder> e : recorders.entrySet())
        {
            out.put(e.getKey(), e.getValue().snapshot(engineCpuNs(e.getKey())));
        }
        return out;
    }

    /** @return reads and writes submitted and not yet completed. */
    public int inFlight()
    {
        return inFlight.get();
    }

    /**
     * Refuses new work, waits for every read and write in flight to complete (their buffers are the
     * caller's again when this returns), then closes the GPU engine. Idempotent.
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
            if (!enginesClosed)
            {
                enginesClosed = true;
                try
                {
                    closeEngine();
                }
                finally
                {
                    if (ownedGpu != null)
                    {
                        ownedGpu.close();
                    }
                }
            }
        }
    }

    /** @return the GPU engine, or null on the host path (tests look inside). */
    PathEngine engine()
    {
        return engine;
    }

    private void closeEngine()
    {
        if (engine instanceof final BounceEngine bounce)
        {
            bounce.close();
        }
        else if (engine instanceof final GdsEngine gds)
        {
            gds.close();
        }
    }

    /** CPU time of the agent thread serving {@code kind} (the GDS engine's small-read bounce engine included). */
    private long engineCpuNs(final PathKind kind)
    {
        if (engine instanceof final GdsEngine gds)
        {
            return kind == PathKind.GDS ? gds.cpuNs() : kind == PathKind.BOUNCE ? gds.small().cpuNs() : 0;
        }
        if (engine instanceof final BounceEngine bounce && kind == PathKind.BOUNCE)
        {
            return bounce.cpuNs();
        }
        return 0;
    }

    private static void checkRange(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst, final long dstOffsetBytes)
    {
        if (lengthBytes < 0 || dstOffsetBytes < 0 || objectOffsetBytes < 0 || dstOffsetBytes > dst.sizeBytes() - lengthBytes)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "read of " + lengthBytes + " bytes at offset "
                + objectOffsetBytes + " of " + key + " into " + dst + " at " + dstOffsetBytes + " does not fit");
        }
    }

    /** A host read of the callback form ended: book it, then let close() go once nothing is in flight. */
    private void onHostReadDone(final PathRecorder recorder, final long startNs, final long bytes, final boolean failed)
    {
        recorder.onReadDone(System.nanoTime() - startNs, bytes, failed);
        exit();
    }

    private PathEngine route(final DeviceBuffer buffer)
    {
        if (buffer.kind() == MemoryKind.HOST)
        {
            return host;
        }
        if (engine == null)
        {
            throw new ConduitException(ErrorCode.MEMORY_KIND_UNSUPPORTED,
                "a device buffer on the host path: this data path runs " + choice.path().label() + " (" + choice.reason() + ")");
        }
        return engine;
    }

    /** The engine's read; a key the store lacks is made local by the missing-key source first, if there is one. */
    private CompletableFuture<Long> submit(
        final PathEngine route, final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes)
    {
        try
        {
            return route.read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        }
        catch (final ConduitException e)
        {
            final MissingKeySource source = missingKeys;
            if (source == null || e.code() != ErrorCode.NOT_FOUND)
            {
                throw e;
            }
            return source.fetch(key).thenCompose(local -> route.read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes));
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
