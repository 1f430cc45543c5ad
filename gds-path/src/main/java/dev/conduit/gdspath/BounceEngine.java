package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.Closeables;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.cuda.CudaEvent;
import dev.conduit.nativebindings.cuda.CudaLayouts;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.cuda.HostRegistration;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The bounce path: a k-way ring of page-aligned pinned host slots ({@link BounceSlot}). Each read
 * is cut into slot-sized chunks; a chunk is read from storage into a free slot by the store's range
 * reader (io_uring O_DIRECT through the scheduler, {@link Priority#BULK}, CRC-32C verified on this
 * host copy), then copied to the device with {@code cuMemcpyHtoDAsync} on one of several streams,
 * and an event recorded after the copy gates the slot's reuse. With k slots, slot i is read while
 * slot i−1 is copied: storage and the PCIe link work at the same time.
 *
 * <pre>
 *   slot 0: [read c0][copy c0]        [read c4][copy c4]
 *   slot 1:   [read c1][copy c1]        [read c5] ...
 *   slot 2:     [read c2][copy c2]
 *   slot 3:       [read c3][copy c3]
 * </pre>
 *
 * <p>Threading: one agent thread ("conduit-bounce") makes the context current once, owns the
 * slots, streams and events, submits chunk reads, enqueues copies and polls events; callers hand
 * reads over through a queue, scheduler threads hand finished chunk reads back through another.
 * Futures complete on the agent thread.
 *
 * <p>Allocation: one {@link BounceRead} per read and one future per chunk read (the reader's
 * future form, for its typed exceptions).
 *
 * <p>Resources: the slots' arena and registrations, the streams and events; {@link #close()} stops
 * the agent once nothing is in flight and frees them on the agent thread.
 */
final class BounceEngine extends EngineAgent implements PathEngine
{
    private static final long COPY_POLL_NS = 20_000;
    private static final long IDLE_PARK_NS = 1_000_000;

    private final ScheduledStore store;
    private final GpuRuntime gpu;
    private final boolean verify;
    private final long slotBytes;
    private final Arena arena = Arena.ofShared();
    private final List<BounceSlot> slots = new ArrayList<>();
    private final List<CudaStream> streams = new ArrayList<>();
    private final ConcurrentLinkedQueue<BounceRead> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<BounceSlot> readsDone = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<BounceRead> active = new ArrayDeque<>();
    private final CheckpointWriter writer;
    private volatile ChunkTimeline timeline;

    BounceEngine(final ScheduledStore store, final GpuRuntime gpu, final DataPathOptions options)
    {
        super(gpu);
        this.store = store;
        this.gpu = gpu;
        this.verify = options.verify();
        this.slotBytes = options.bounceSlotBytes();
        gpu.makeCurrent();
        try
        {
            for (int i = 0; i < options.bounceStreams(); i++)
            {
                streams.add(gpu.context().createStream(CudaLayouts.CU_STREAM_NON_BLOCKING));
            }
            for (int i = 0; i < options.bounceSlots(); i++)
            {
                final MemorySegment memory = arena.allocate(slotBytes, DeviceBufferPool.PAGE_BYTES);
                final HostRegistration pinned = gpu.context().registerHost(memory, CudaLayouts.CU_MEMHOSTREGISTER_PORTABLE);
                final CudaEvent event;
                try
                {
                    event = gpu.context().createEvent(CudaLayouts.CU_EVENT_DISABLE_TIMING);
                }
                catch (final RuntimeException e)
                {
                    pinned.close();
                    throw e;
                }
                slots.add(new BounceSlot(i, memory, pinned, streams.get(i % streams.size()), event));
            }
            this.writer = new CheckpointWriter(store, gpu, slotBytes);
        }
        catch (final RuntimeException e)
        {
            freeOnAgent(e);
            throw e;
        }
        start("conduit-bounce");
    }

    @Override
    public PathKind kind()
    {
        return PathKind.BOUNCE;
    }

    @Override
    public CompletableFuture<Long> read(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst, final long dstOffsetBytes)
    {
        if (!running())
        {
            throw new ConduitException(ErrorCode.SHUTDOWN, "bounce engine closed");
        }
        dst.devicePointer();                                  // a device buffer, lent: fail here, not on the agent
        final ObjectReadHandle version = store.store().openObject(key);
        final BounceRead read = new BounceRead(version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes, stepBytes(version));
        incoming.add(read);
        wake();
        return read.future;
    }

    @Override
    public ObjectRecord write(final String key, final DeviceBuffer src, final long lengthBytes, final ObjectMetadata meta)
    {
        return writer.write(key, src, lengthBytes, meta);
    }

    /** @return the pinned staging checkpoints go through (the GDS engine's writes compute their checksums there). */
    CheckpointWriter checkpoints()
    {
        return writer;
    }

    /** Keeps the storage read times of the next chunks (tests compute read/copy overlap from them). */
    void recordTimeline(final int capacity)
    {
        timeline = new ChunkTimeline(capacity);
    }

    ChunkTimeline timeline()
    {
        return timeline;
    }

    @Override
    long idleParkNs()
    {
        return copying() ? COPY_POLL_NS : IDLE_PARK_NS;
    }

    @Override
    void afterAgent()
    {
        writer.close();
    }

    /** One duty cycle: admit reads, hand finished chunk reads to the copy engine, free copied slots, fill free slots. */
    @Override
    int doWork()
    {
        return admit() + startCopies() + reapCopies() + fillSlots();
    }

    private int admit()
    {
        int n = 0;
        BounceRead read;
        while ((read = incoming.poll()) != null)
        {
            active.add(read);
            n++;
        }
        return n;
    }

    private int startCopies()
    {
        int n = 0;
        BounceSlot slot;
        while ((slot = readsDone.poll()) != null)
        {
            n++;
            final BounceRead read = slot.read;
            final Throwable failure = slot.readFailure;
            if (failure != null || read.failure != null)
            {
                if (failure != null)
                {
                    read.fail(failure);
                }
                release(slot);
                continue;
            }
            try
            {
                final long dstOffset = read.dstOffsetBytes + (slot.objectOffsetBytes - read.objectOffsetBytes);
                slot.stream.copyToDeviceAsync(slot.memory.asSlice(slot.innerOffsetBytes, slot.lengthBytes),
                    read.dst.devicePointer().plus(dstOffset));
                slot.stream.record(slot.copied);
                slot.state = BounceSlot.State.COPYING;
            }
            catch (final RuntimeException e)
            {
                // Nothing was enqueued (or only the copy, which the next record on this stream orders):
                // wait for the stream, so the slot is idle before it is reused.
                read.fail(new ConduitException(ErrorCode.GPU_IO_FAILED, "bounce copy to the device failed", e));
                slot.stream.synchronize();
                release(slot);
            }
        }
        return n;
    }

    private int reapCopies()
    {
        int n = 0;
        for (final BounceSlot slot : slots)
        {
            if (slot.state == BounceSlot.State.COPYING && slot.copied.isComplete())
            {
                release(slot);
                n++;
            }
        }
        return n;
    }

    private int fillSlots()
    {
        int n = 0;
        for (final BounceSlot slot : slots)
        {
            if (slot.state != BounceSlot.State.FREE)
            {
                continue;
            }
            final BounceRead read = nextReadWithChunks();
            if (read == null)
            {
                break;
            }
            submitChunk(slot, read);
            n++;
        }
        return n;
    }

    private BounceRead nextReadWithChunks()
    {
        while (!active.isEmpty())
        {
            final BounceRead head = active.peek();
            if (!head.allSubmitted())
            {
                return head;
            }
            active.poll();
            closeVersion(head);
            finishIfDone(head);
        }
        return null;
    }

    private void submitChunk(final BounceSlot slot, final BounceRead read)
    {
        final long start = read.nextBytes;
        final long slotEnd = (start / read.stepBytes + 1) * read.stepBytes;
        final long end = Math.min(read.endBytes, slotEnd);
        slot.read = read;
        slot.objectOffsetBytes = start;
        slot.lengthBytes = end - start;
        // The slot address keeps the object offset's alignment, so the reader DMAs straight into it.
        slot.innerOffsetBytes = start % DeviceBufferPool.PAGE_BYTES;
        slot.readFailure = null;
        slot.state = BounceSlot.State.READING;
        read.nextBytes = end;
        read.chunksOut++;
        final ChunkTimeline trace = timeline;
        final long startNs = System.nanoTime();
        try
        {
            slot.request.object(read.version)
                .range(start, slot.lengthBytes)
                .into(slot.memory, slot.innerOffsetBytes)
                .verify(verify)
                .priority(Priority.BULK);
            store.reader().read(slot.request).whenComplete((bytes, failure) ->
            {
                if (trace != null)
                {
                    trace.record(startNs, System.nanoTime());
                }
                slot.readFailure = failure;
                readsDone.add(slot);
                wake();
            });
        }
        catch (final RuntimeException e)
        {
            slot.readFailure = e;
            readsDone.add(slot);
        }
        if (read.allSubmitted())
        {
            closeVersion(read);
        }
    }

    /**
     * Chunks of a read end on multiples of this: the slot size, cut down to whole CRC chunks when
     * verifying, so each slot's read covers whole chunks and the reader reads no byte twice. A
     * CRC chunk larger than a slot is read whole for each slot it spans (size slots above the
     * store's chunk size to avoid that).
     */
    private long stepBytes(final ObjectReadHandle version)
    {
        final long chunkBytes = version.record().chunkSizeBytes();
        return verify && chunkBytes <= slotBytes ? slotBytes / chunkBytes * chunkBytes : slotBytes;
    }

    private void release(final BounceSlot slot)
    {
        final BounceRead read = slot.read;
        slot.read = null;
        slot.state = BounceSlot.State.FREE;
        read.chunksOut--;
        finishIfDone(read);
    }

    private void finishIfDone(final BounceRead read)
    {
        if (read.chunksOut != 0 || !read.allSubmitted() || read.future.isDone())
        {
            return;
        }
        if (read.failure != null && (read.nextBytes < read.endBytes))
        {
            active.remove(read);
        }
        closeVersion(read);
        if (read.failure != null)
        {
            read.future.completeExceptionally(read.failure);
        }
        else
        {
            read.future.complete(read.lengthBytes);
        }
    }

    private static void closeVersion(final BounceRead read)
    {
        if (!read.versionClosed)
        {
            read.versionClosed = true;
            read.version.close();
        }
    }

    @Override
    boolean busy()
    {
        if (!incoming.isEmpty() || !active.isEmpty() || !readsDone.isEmpty())
        {
            return true;
        }
        for (final BounceSlot slot : slots)
        {
            if (slot.state != BounceSlot.State.FREE)
            {
                return true;
            }
        }
        return false;
    }

    private boolean copying()
    {
        for (final BounceSlot slot : slots)
        {
            if (slot.state == BounceSlot.State.COPYING)
            {
                return true;
            }
        }
        return false;
    }

    /** The agent died: wait for the hardware, then fail every read it held. */
    @Override
    void onAgentFailure(final Throwable t)
    {
        for (final CudaStream stream : streams)
        {
            try
            {
                stream.synchronize();
            }
            catch (final RuntimeException e)
            {
                t.addSuppressed(e);
            }
        }
        final List<BounceRead> reads = new ArrayList<>(active);
        reads.addAll(incoming);
        for (final BounceSlot slot : slots)
        {
            if (slot.read != null && !reads.contains(slot.read))
            {
                reads.add(slot.read);
            }
        }
        for (final BounceRead read : reads)
        {
            closeVersion(read);
            read.future.completeExceptionally(new ConduitException(ErrorCode.GPU_IO_FAILED, "bounce agent failed", t));
        }
    }

    /** Close order: streams drained, events, registrations, streams, then the slots' memory. */
    @Override
    RuntimeException freeOnAgent(final RuntimeException primary)
    {
        final List<AutoCloseable> order = new ArrayList<>();
        for (final CudaStream stream : streams)
        {
            order.add(stream::synchronize);
        }
        for (final BounceSlot slot : slots)
        {
            order.add(slot.copied);
            order.add(slot.registration);
        }
        order.addAll(streams);
        order.add(arena::close);
        return Closeables.closeAll(primary, order);
    }
}
