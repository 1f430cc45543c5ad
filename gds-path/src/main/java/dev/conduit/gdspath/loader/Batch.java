package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DeviceBuffer;
import dev.conduit.nativebindings.dlpack.DlDataType;

/**
 * One batch: a ring buffer holding its samples' bytes and the table saying where each file lies.
 * The consumer owns the buffer until {@link #close()}; while it holds batches the loader cannot
 * reuse their buffers, so it stops reading once the ring is used up (back-pressure, fixed memory).
 *
 * <pre>{@code
 * try (Batch batch = loader.next())
 * {
 *     for (final BatchEntry e : batch.entries())
 *     {
 *         decode(e.sampleKey(), batch.bytes(e));
 *     }
 * }   // the buffer returns to the ring; the loader may fill it with a later batch
 * }</pre>
 *
 * <p>Reuse: each ring buffer has one {@code Batch} object, handed out again for every batch that
 * buffer carries (so a batch costs no allocation). Between {@link Loader#next()} and {@link #close()}
 * it shows only its own batch: nothing refills the buffer, its table or its numbers while the consumer
 * holds it. Keep no reference past {@code close()}: the same object may then already describe a later
 * batch, and closing it again would hand that batch's buffer back.
 *
 * <p>Threading: read by the consumer; {@link #close()} from any thread, once per batch (a later call
 * does nothing until the loader hands the object out again).
 */
public final class Batch implements AutoCloseable
{
    private static final VarHandle CLOSED;

    static
    {
        try
        {
            CLOSED = MethodHandles.lookup().findVarHandle(Batch.class, "closed", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Loader owner;
    private final DeviceBuffer buffer;
    private final EntryTable entries = new EntryTable();
    private final BatchReads reads;
    // Written by the issuing thread before the batch is queued; the loader's lock orders them before next() reads them.
    private long epoch;
    private long indexInEpoch;
    private int readCount;
    private long usedBytes;
    @SuppressWarnings("unused")                // through CLOSED (a field, not an AtomicBoolean per batch)
    private volatile boolean closed = true;

    /** The ring buffer's batch object, closed until {@link #begin} first. */
    Batch(final Loader owner, final DeviceBuffer buffer, final boolean deferVerification)
    {
        this.owner = owner;
        this.buffer = buffer;
        this.reads = new BatchReads(deferVerification);
    }

    /**
     * Starts the object's next batch: the buffer was acquired (so its last batch was closed and its reads
     * are done); the table is refilled by the plan, then the reads are armed before any is submitted.
     */
    void begin(final long epoch, final long indexInEpoch, final int readCount, final long usedBytes)
    {
        this.epoch = epoch;
        this.indexInEpoch = indexInEpoch;
        this.readCount = readCount;
        this.usedBytes = usedBytes;
        reads.reset(readCount);
        closed = false;
    }

    /** @return the table the plan refills for this buffer's next batch. */
    EntryTable table()
    {
        return entries;
    }

    /** @return the epoch it belongs to. */
    public long epoch()
    {
        return epoch;
    }

    /** @return its index within the epoch (for this rank). */
    public long indexInEpoch()
    {
        return indexInEpoch;
    }

    /**
     * @return one entry per file, in the batch's shuffled sample order: a read-only view of the
     *         buffer's table, valid until {@link #close()} (a later batch in the same buffer refills
     *         it); each {@code get} makes a {@link BatchEntry}; the {@code entry...(i)} accessors
     *         read the same table without allocating.
     */
    public List<BatchEntry> entries()
    {
        return entries;
    }

    /** @return files in the batch ({@code entries().size()}). */
    public int entryCount()
    {
        return entries.size();
    }

    /**
     * @param index 0 ≤ index &lt; {@link #entryCount()}.
     * @return the sample key of that file.
     */
    public String entrySampleKey(final int index)
    {
        return entries.sampleKey(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #entryCount()}.
     * @return the file's path in its shard.
     */
    public String entryName(final int index)
    {
        return entries.name(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #entryCount()}.
     * @return where the file's bytes start in the buffer.
     */
    public long entryOffsetBytes(final int index)
    {
        return entries.offsetBytes(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #entryCount()}.
     * @return the file's length.
     */
    public long entryLengthBytes(final int index)
    {
        return entries.lengthBytes(index);
    }

    /**
     * @param index 0 ≤ index &lt; {@link #entryCount()}.
     * @return whether the file belongs to a padding repeat.
     */
    public boolean entryPadding(final int index)
    {
        return entries.padding(index);
    }

    /** @return the buffer holding the bytes (owned by the loader's ring). */
    public DeviceBuffer buffer()
    {
        return buffer;
    }

    /** @return bytes of the buffer filled by the reads (tar headers between coalesced samples included). */
    public long usedBytes()
    {
        return usedBytes;
    }

    /** @return range reads issued for this batch (fewer than files when neighbours were coalesced). */
    public int readCount()
    {
        return readCount;
    }

    /**
     * @param entry one of {@link #entries()}.
     * @return a view of its bytes in the (host) buffer; valid until {@link #close()}.
     * @throws dev.conduit.core.ConduitException {@code MEMORY_KIND_UNSUPPORTED} when the ring is device memory
     *                                           (hand the batch on with {@link #exportDlPack()} instead).
     */
    public MemorySegment bytes(final BatchEntry entry)
    {
        return buffer.segment().asSlice(entry.offsetBytes(), entry.lengthBytes());
    }

    /**
     * Hands the batch to a framework as a DLPack tensor: the whole ring buffer as a one-dimensional
     * {@code uint8} tensor on the buffer's device (CUDA for a device ring, CPU for a host one), which the
     * entry offsets index ({@link #entryOffsetBytes}). The tensor's deleter closes the batch, so the buffer
     * goes back to the ring when the framework frees the tensor; the caller must not {@link #close()} it
     * as well, since a later batch may by then be in the same object.
     *
     * @return the {@code DLManagedTensor} (its address goes into a PyCapsule named "dltensor").
     */
    public MemorySegment exportDlPack()
    {
        return buffer.exportDlPack(0, new long[] {buffer.sizeBytes()}, DlDataType.UINT8, this::close);
    }

    /** Returns the buffer to the ring, after its reads have finished; the loader may refill it. */
    @Override
    public void close()
    {
        if (CLOSED.compareAndSet(this, false, true))
        {
            // Never hand memory back while a read may still be landing in it; a failure is next()'s to report.
            reads.await();
            buffer.close();
            owner.onReleased();
        }
    }

    /**
     * After the reads ended without failure: checks the checksums the host path left to the consumer.
     *
     * @return null, or the first mismatch.
     */
    Throwable verifyLanded(final DataPath path)
    {
        // A device ring never defers (the loader refuses that at open): nothing was left to check, no host view to take.
        return reads.defersVerification() ? reads.verifyLanded(path, buffer.segment(), readCount) : null;
    }

    BatchReads reads()
    {
        return reads;
    }
}
