package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.conduit.blocklayout.DirectPut;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.Closeables;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.cufile.CuFileBatch;
import dev.conduit.nativebindings.cufile.CuFileBatchStatus;
import dev.conduit.nativebindings.cufile.CuFileBuffer;
import dev.conduit.nativebindings.cufile.CuFileDriver;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;
import dev.conduit.nativebindings.cufile.CuFileHandle;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.store.RangeRequest;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The GDS path: cuFile DMA from the store's namespaces straight into device memory.
 *
 * <ul>
 *   <li>one cuFile handle per store namespace (file or block device, opened O_DIRECT by the
 *       store), registered when the engine opens and kept;</li>
 *   <li>reads become batch entries, one per extent piece, spread over a small pool of batch handles
 *       of the driver's batch size, all kept full: many batches and entries in flight;</li>
 *   <li>destination slabs are registered once ({@link RegisteredBuffers});</li>
 *   <li>reads below {@link DataPathOptions#smallReadBytes()} go through the bounce engine (a DMA
 *       setup costs more than a small copy), counted as bounce;</li>
 *   <li>{@link GdsVerify#HOST_SHADOW}: after the DMA, the same range is read through the host path
 *       (CRC-32C verified) and compared with a device-to-host copy of what landed;</li>
 *   <li>checkpoint writes are batch write entries into a direct put's extents ({@link #write}).</li>
 * </ul>
 *
 * <p>Threading: one agent thread ("conduit-gds") makes the context current once and owns the
 * batches, the registrations and the in-flight table; callers hand reads over through a queue.
 * Futures complete on the agent thread.
 *
 * <p>Resources: handles, batches, registrations, and the bounce engine for small reads;
 * {@link #close()} stops the agent once nothing is in flight and frees them in reverse order.
 */
final class GdsEngine extends EngineAgent implements PathEngine
{
    private static final long POLL_PARK_NS = 20_000;
    private static final long IDLE_PARK_NS = 1_000_000;
    private static final int MAX_BATCH_ENTRIES = 128;
    private static final long MAX_PIECE_BYTES = 16L << 20;

    private final ScheduledStore store;
    private final GpuRuntime gpu;
    private final BounceEngine small;
    private final long smallReadBytes;
    private final boolean shadow;
    private final long maxPieceBytes;
    private final CuFileHandle[] handles;
    private final long[] fdOffsets;
    private final List<CuFileBatch> batches = new ArrayList<>();
    private final RegisteredBuffers registered;
    private final GdsPiece[] table;
    private final int[] freeIds;
    private int freeCount;
    private final ConcurrentLinkedQueue<GdsRead> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<GdsRead> shadowsDone = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<GdsPiece> pending = new ArrayDeque<>();
    private final int[] staging;
    private int shadowsOut;

    GdsEngine(final ScheduledStore store, final GpuRuntime gpu, final CuFileDriver cufile, final DataPathOptions options)
    {
        super(gpu);
        this.store = store;
        this.gpu = gpu;
        this.smallReadBytes = options.smallReadBytes();
        this.shadow = options.verify() && options.gdsVerify() == GdsVerify.HOST_SHADOW;
        gpu.makeCurrent();
        final CuFileDriverProperties props = cufile.properties();
        final int batchEntries = (int)Math.max(1, Math.min(MAX_BATCH_ENTRIES, props.maxBatchIoSize()));
        this.maxPieceBytes = props.maxDirectIoSizeKb() > 0 ? Math.min(MAX_PIECE_BYTES, props.maxDirectIoSizeKb() << 10) : MAX_PIECE_BYTES;
        this.registered = new RegisteredBuffers(cufile, props.maxDevicePinnedMemKb() << 10);
        final List<TargetHandle> targets = store.targets();
        this.handles = new CuFileHandle[targets.size()];
        this.fdOffsets = new long[targets.size()];
        BounceEngine bounce = null;
        try
        {
            for (int i = 0; i < handles.length; i++)
            {
                final TargetHandle target = targets.get(i);
                handles[i] = cufile.register(target.target().fd(), target.target().name());
                fdOffsets[i] = target.target().fdOffset();
            }
            for (int i = 0; i < options.batchHandles(); i++)
            {
                batches.add(cufile.createBatch(batchEntries));
            }
            bounce = new BounceEngine(store, gpu, options);
        }
        catch (final RuntimeException e)
        {
            freeOnAgent(e);
            throw e;
        }
        this.small = bounce;
        final int capacity = batchEntries * options.batchHandles();
        this.table = new GdsPiece[capacity];
        this.freeIds = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeIds[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.staging = new int[batchEntries];
        start("conduit-gds");
    }

    @Override
    public PathKind kind()
    {
        return PathKind.GDS;
    }

    @Override
    public PathKind pathFor(final long lengthBytes)
    {
        return lengthBytes < smallReadBytes ? PathKind.BOUNCE : PathKind.GDS;
    }

    @Override
    public CompletableFuture<Long> read(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst, final long dstOffsetBytes)
    {
        if (lengthBytes < smallReadBytes)
        {
            return small.read(key, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        }
        if (!running())
        {
            throw new ConduitException(ErrorCode.SHUTDOWN, "GDS engine closed");
        }
        dst.devicePointer();                                  // a device buffer, lent: fail here, not on the agent
        final ObjectReadHandle version = store.store().openObject(key);
        final GdsRead read = new GdsRead(key, version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        incoming.add(read);
        wake();
        return read.future;
    }

    /**
     * A checkpoint by cuFile: a direct put allocates the extents; batch write entries DMA the whole
     * blocks from {@code src} into them on the agent while the writing thread computes the
     * checksums on a host copy ({@link CheckpointWriter#writeDirect}); the store writes the tail and
     * publishes with a flush and a journal commit.
     */
    @Override
    public ObjectRecord write(final String key, final DeviceBuffer src, final long lengthBytes, final ObjectMetadata meta)
    {
        if (!running())
        {
            throw new ConduitException(ErrorCode.SHUTDOWN, "GDS engine closed");
        }
        src.devicePointer();                                  // a device buffer: fail here, not on the agent
        try (DirectPut put = store.store().openDirectPut(key, meta, lengthBytes))
        {
            final GdsWrite dma = new GdsWrite(key, put.layout(), put.directBytes(), src);
            if (dma.lengthBytes == 0)
            {
                dma.future.complete(0L);
            }
            else
            {
                incoming.add(dma);
                wake();
            }
            return small.checkpoints().writeDirect(put, src, dma.future, shadow);
        }
    }

    /** @return the registered-buffer cache (counters for stats and tests). */
    RegisteredBuffers registered()
    {
        return registered;
    }

    /** @return the engine small reads go through. */
    BounceEngine small()
    {
        return small;
    }

    @Override
    long idleParkNs()
    {
        return inFlight() > 0 || shadowsOut > 0 ? POLL_PARK_NS : IDLE_PARK_NS;
    }

    @Override
    void onAgentFailure(final Throwable t)
    {
        // Batches are cancelled and drained by freeOnAgent; the reads they held never complete
        // normally, so fail them here (their memory is no longer written once the batches are closed).
        final List<GdsRead> held = new ArrayList<>(incoming);
        for (final GdsPiece piece : table)
        {
            if (piece != null)
            {
                held.add(piece.read());
            }
        }
        for (final GdsPiece piece : pending)
        {
            held.add(piece.read());
        }
        held.addAll(shadowsDone);
        for (final GdsRead read : held)
        {
            read.future.completeExceptionally(new ConduitException(ErrorCode.GPU_IO_FAILED, "GDS agent failed", t));
        }
    }

    @Override
    void afterAgent()
    {
        small.close();
    }

    /** One duty cycle: plan new reads, fill the batches, reap finished entries, finish shadow checks. */
    @Override
    int doWork()
    {
        return admit() + submit() + reap() + finishShadows();
    }

    private int admit()
    {
        int n = 0;
        GdsRead read;
        while ((read = incoming.poll()) != null)
        {
            n++;
            plan(read);
        }
        return n;
    }

    private void plan(final GdsRead read)
    {
        try
        {
            final long bufferBase = read.dst.slabOffsetBytes() + read.dstOffsetBytes;
            read.layout().forEachPiece(read.objectOffsetBytes, read.lengthBytes, (ns, physical, logical, bytes) ->
            {
                for (long done = 0; done < bytes; done += maxPieceBytes)
                {
                    final long n = Math.min(maxPieceBytes, bytes - done);
                    pending.add(new GdsPiece(read, ns, fdOffsets[ns] + physical + done,
                        bufferBase + (logical - read.objectOffsetBytes) + done, n));
                    read.piecesOut++;
                }
            });
        }
        catch (final RuntimeException e)
        {
            read.fail(e);
            pending.removeIf(p -> p.read() == read);
            read.piecesOut = 0;
            finish(read);
        }
    }

    private int submit()
    {
        int n = 0;
        for (final CuFileBatch batch : batches)
        {
            int staged = 0;
            while (!pending.isEmpty() && batch.inFlight() + staged < batch.capacity())
            {
                final GdsPiece piece = pending.poll();
                final int id = freeIds[--freeCount];
                table[id] = piece;
                final CuFileBuffer buffer = registered.bufferFor(piece.read().dst.slab());
                if (piece.read().writes())
                {
                    batch.addWrite(handles[piece.namespaceIndex()], buffer, piece.bufferOffsetBytes(), piece.bytes(),
                        piece.fileOffsetBytes(), id);
                }
                else
                {
                    batch.addRead(handles[piece.namespaceIndex()], buffer, piece.bufferOffsetBytes(), piece.bytes(),
                        piece.fileOffsetBytes(), id);
                }
                staging[staged++] = id;
            }
            if (staged == 0)
            {
                continue;
            }
            n += staged;
            final int before = batch.inFlight();
            try
            {
                batch.submit();
            }
            catch (final RuntimeException e)
            {
                // Submit hands entries to the library in order; those after the failed call were dropped.
                final int dropped = staged - (batch.inFlight() - before);
                for (int i = staged - dropped; i < staged; i++)
                {
                    onPiece(staging[i], false, -1, e);
                }
            }
        }
        return n;
    }

    private int reap()
    {
        int n = 0;
        for (final CuFileBatch batch : batches)
        {
            if (batch.inFlight() > 0)
            {
                n += batch.poll(0, 0, this::onEvent);
            }
        }
        return n;
    }

    private void onEvent(final long cookie, final int status, final long result)
    {
        final GdsPiece piece = table[(int)cookie];
        final boolean ok = CuFileBatchStatus.decode(status).contains(CuFileBatchStatus.COMPLETE) && result == piece.bytes();
        onPiece((int)cookie, ok, result, ok ? null : new ConduitException(ErrorCode.GPU_IO_FAILED, "cuFile batch "
            + (piece.read().writes() ? "write" : "read") + " of "
            + piece.bytes() + " bytes of " + piece.read().key + " at offset " + piece.fileOffsetBytes() + " of namespace "
            + piece.namespaceIndex() + " failed: status " + CuFileBatchStatus.decode(status) + ", result " + result));
    }

    private void onPiece(final int id, final boolean ok, final long result, final Throwable failure)
    {
        final GdsPiece piece = table[id];
        table[id] = null;
        freeIds[freeCount++] = id;
        final GdsRead read = piece.read();
        if (!ok)
        {
            read.fail(failure);
        }
        if (--read.piecesOut == 0)
        {
            done(read);
        }
    }

    /** Every DMA of the read has finished: verify through the host shadow, or complete. */
    private void done(final GdsRead read)
    {
        if (read.failure != null || !shadow || read.writes())
        {
            finish(read);
            return;
        }
        final Arena arena = Arena.ofShared();
        final MemorySegment expected = arena.allocate(read.lengthBytes, DeviceBufferPool.PAGE_BYTES);
        shadowsOut++;
        final RangeRequest request = new RangeRequest()
            .object(read.version).range(read.objectOffsetBytes, read.lengthBytes).into(expected, 0).verify(true).priority(Priority.BULK);
        store.reader().read(request).whenComplete((bytes, failure) ->
        {
            if (failure != null)
            {
                read.fail(failure);
            }
            else
            {
                read.shadow = expected;
            }
            read.shadowArena = arena;
            shadowsDone.add(read);
            wake();
        });
    }

    private int finishShadows()
    {
        int n = 0;
        GdsRead read;
        while ((read = shadowsDone.poll()) != null)
        {
            n++;
            shadowsOut--;
            try
            {
                if (read.failure == null)
                {
                    compareWithDevice(read);
                }
            }
            catch (final RuntimeException e)
            {
                read.fail(e);
            }
            finally
            {
                read.shadowArena.close();
            }
            finish(read);
        }
        return n;
    }

    private void compareWithDevice(final GdsRead read)
    {
        final MemorySegment expected = read.shadow;
        final MemorySegment landed = read.shadowArena.allocate(read.lengthBytes, DeviceBufferPool.PAGE_BYTES);
        gpu.driver().copyToHost(read.dst.devicePointer().plus(read.dstOffsetBytes), landed);
        final long mismatch = expected.mismatch(landed);
        if (mismatch >= 0)
        {
            throw new ConduitException(ErrorCode.CORRUPT_EXTENT, "GDS read of " + read.key + " differs from its verified host "
                + "shadow at byte " + (read.objectOffsetBytes + mismatch) + " of the object");
        }
    }

    private void finish(final GdsRead read)
    {
        if (read.version != null)
        {
            read.version.close();
        }
        if (read.failure != null)
        {
            read.future.completeExceptionally(read.failure);
        }
        else
        {
            read.future.complete(read.lengthBytes);
        }
    }

    private int inFlight()
    {
        return table.length - freeCount;
    }

    @Override
    boolean busy()
    {
        return !incoming.isEmpty() || !pending.isEmpty() || inFlight() > 0 || shadowsOut > 0 || !shadowsDone.isEmpty();
    }

    /** Close order: batches (cancel and drain), registrations, handles. */
    @Override
    RuntimeException freeOnAgent(final RuntimeException primary)
    {
        final List<AutoCloseable> order = new ArrayList<>(batches);
        order.add(registered);
        order.addAll(Arrays.asList(handles));
        return Closeables.closeAll(primary, order);
    }
}
