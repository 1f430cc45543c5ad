package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;

/**
 * Reads byte ranges of objects straight from their extents through the scheduler: the range is cut
 * where the object's layout cuts it (stripe units, extents, columns on different namespaces), each
 * piece becomes one request on the device of its namespace, all pieces are in flight at once, and
 * one completion reports the whole range.
 *
 * <pre>{@code
 * final ObjectRangeReader reader = scheduledStore.reader();
 * final RangeRequest request = new RangeRequest();                      // reusable, one per thread
 * try (ObjectReadHandle version = scheduledStore.store().openObject("model.bin"))
 * {
 *     request.object(version).range(8_000_001, 1 << 20).into(buffer, 0).verify(true).timeoutNs(50_000_000);
 *     final long readId = reader.read(request, callback, tag);          // callback(tag, bytes or -errno), once
 * }                                                                     // closing early is safe: the read holds a pin
 * }</pre>
 *
 * <p>Versions: a read names an open {@code ObjectReadHandle} and takes its own reference to it, so
 * the version's extents are not reused (by a concurrent replace or delete) until the read has
 * completed, and the bytes delivered are that version's and no other's.
 *
 * <p>Ranges: any start and length within the object. The block-aligned middle of the range goes
 * straight into native destinations whose address lines up with the object's blocks (a buffer
 * aligned to 4096 at {@code dstOffset} for an aligned start): no copy. Unaligned heads and tails,
 * heap destinations and misaligned addresses are read into a pooled staging buffer and copied to
 * exactly {@code [dstOffset, dstOffset + length)}; nothing outside it is written.
 *
 * <p>Verification ({@link RangeRequest#verify(boolean)}): every checksum chunk (1 MiB by default)
 * the range touches is read whole and checked against its CRC-32C; a mismatch completes the read
 * with {@link #CORRUPT}, and a callback that is a {@link CorruptionListener} (or the future form)
 * gets the {@link CorruptExtentException} naming the key, namespace, physical offset and chunk.
 *
 * <p>Completion: exactly one per read, on a device thread (or on the calling thread for an empty
 * range or a failure during submission), and only after every piece that was submitted has
 * finished, so the destination is the caller's again when it arrives. Its result is the requested
 * length, or the first failure: {@code -errno}, {@link IoStatus#TIMED_OUT} (deadline),
 * {@link IoStatus#CANCELLED} ({@link #cancel(long)}), {@link IoStatus#SHUTDOWN}, {@link #CORRUPT}.
 * A request that is malformed (range outside the object, destination too small, closed handle)
 * throws {@code IllegalArgumentException}/{@code IllegalStateException} before anything is submitted.
 *
 * <p>Allocation: read contexts (pieces, counters, staging buffer) are pooled, so steady-state reads
 * with the callback form allocate nothing. The future form allocates the future.
 *
 * <p>Threading: any thread may read and cancel; completions arrive on device threads and must be
 * short (see {@link IoCallback}).
 */
public final class ObjectRangeReader
{
    /** Result of a verified read whose bytes do not match their chunk's CRC-32C ({@code -EBADMSG}). */
    public static final long CORRUPT = -74;
    /** Read ids: low bits name the context, high bits its use count. */
    static final int SLOT_BITS = 20;
    private static final int POOL_CAPACITY = 1024;

    /** A completion callback that also wants the details of a checksum mismatch. */
    public interface CorruptionListener extends IoCallback
    {
        /**
         * Called on the completing thread just before {@code onComplete(tag, CORRUPT)}.
         *
         * @param tag   the read's tag.
         * @param cause the key, namespace, physical offset and chunk that failed.
         */
        void onCorrupt(long tag, CorruptExtentException cause);
    }

    private final TargetHandle[] targets;
    private final ObjectPool<RangeRead> pool;
    private volatile RangeRead[] slots = new RangeRead[0];

    /**
     * @param targets the store's namespaces as scheduler targets, indexed by namespace index
     *                ({@link ScheduledStore#targets()}).
     */
    public ObjectRangeReader(final List<TargetHandle> targets)
    {
        this.targets = targets.toArray(new TargetHandle[0]);
        this.pool = new ObjectPool<>(this::newContext, POOL_CAPACITY);
    }

    /**
     * Reads a range of a pinned object version (see the class comment).
     *
     * @param request  object, range, destination, verification, class and deadline (copied; reusable at once).
     * @param callback called once with the requested length or a negative code.
     * @param tag      passed to the callback.
     * @return the read's id, for {@link #cancel(long)}.
     * @throws IllegalArgumentException when the range or destination is malformed.
     * @throws IllegalStateException    when the request's handle is closed.
     */
    public long read(final RangeRequest request, final IoCallback callback, final long tag)
    {
        final RangeRead read = pool.take();
        try
        {
            read.prepare(request, callback, tag);
        }
        catch (final RuntimeException e)
        {
            read.abandon();
            throw e;
        }
        final long id = read.id();
        read.submit();
        return id;
    }

    /**
     * The future form of {@link #read(RangeRequest, IoCallback, long)} (allocates the future).
     *
     * @param request the read.
     * @return a future completing with the requested length, or exceptionally with the failure
     *         ({@code NativeException} named by errno, {@code CancellationException}, or
     *         {@link CorruptExtentException}).
     */
    public CompletableFuture<Long> read(final RangeRequest request)
    {
        final RangeFuture future = new RangeFuture();
        read(request, future, 0);
        return future;
    }

    /**
     * Asks for a read to be cancelled: pieces not yet dispatched complete at once, pieces in flight
     * when their I/O returns, and the read completes with {@link IoStatus#CANCELLED} (unless it
     * had already finished, or every piece finishes before the cancellation reaches it).
     *
     * @param readId an id returned by {@link #read(RangeRequest, IoCallback, long)}.
     */
    public void cancel(final long readId)
    {
        final RangeRead[] current = slots;
        final int slot = (int)(readId & ((1L << SLOT_BITS) - 1));
        if (slot < current.length)
        {
            current[slot].cancel(readId);
        }
    }

    /**
     * Reads {@code [logicalOffset, logicalOffset + lengthBytes)} of a layout into {@code dst[0, ...)},
     * without pinning a version or verifying: for callers that own the object's lifetime themselves.
     *
     * @param layout        the object's layout ({@code ObjectRecord.layout()}).
     * @param logicalOffset start within the object, block-aligned.
     * @param dst           native destination, block-aligned, at least {@code lengthBytes} rounded up to a block.
     * @param lengthBytes   bytes to read; the range must lie within the object's data.
     * @param priority      class of every piece.
     * @return a future completing with the bytes read, or exceptionally with the first piece's failure.
     */
    public CompletableFuture<Long> read(
        final ObjectLayout layout, final long logicalOffset, final MemorySegment dst, final long lengthBytes, final Priority priority)
    {
        final RangeFuture future = new RangeFuture();
        read(layout, logicalOffset, dst, lengthBytes, priority, future, 0);
        return future;
    }

    /**
     * The callback form of {@link #read(ObjectLayout, long, MemorySegment, long, Priority)}.
     *
     * @param layout        the object's layout.
     * @param logicalOffset start within the object, block-aligned.
     * @param dst           native destination.
     * @param lengthBytes   bytes to read.
     * @param priority      class of every piece.
     * @param callback      called once with the bytes read or a negative {@link IoStatus} code.
     * @param tag           passed to the callback.
     * @return how many requests (pieces) the range was cut into.
     * @throws IllegalArgumentException when a piece is misaligned, outside {@code dst}, or on an unknown namespace.
     */
    public int read(
        final ObjectLayout layout, final long logicalOffset, final MemorySegment dst, final long lengthBytes,
        final Priority priority, final IoCallback callback, final long tag)
    {
        final RangeRead read = pool.take();
        final int pieces;
        try
        {
            read.prepare(layout, logicalOffset, dst, lengthBytes, priority, callback, tag);
            pieces = read.pieceCount;
        }
        catch (final RuntimeException e)
        {
            read.abandon();
            throw e;
        }
        read.submit();
        return pieces;
    }

    /**
     * The caller's half of a read with {@link RangeRequest#deferVerification(boolean) deferred verification}:
     * checks each CRC-32C chunk of {@code version} that lies wholly inside {@code [offsetBytes, offsetBytes +
     * lengthBytes)} against the bytes that landed. Allocates nothing unless a chunk mismatches.
     *
     * @param version          the record of the version that was read (the request's handle's record).
     * @param offsetBytes      the request's offset.
     * @param lengthBytes      the request's length.
     * @param dst              a buffer view of the request's destination (position and limit are changed).
     * @param dstOffsetBytes   the request's destination offset.
     * @param crc              a checksum the caller owns (reset per chunk).
     * @return null when every such chunk matches, else the first mismatch (the same details a verified read fails with).
     */
    public CorruptExtentException verifyLanded(
        final ObjectRecord version, final long offsetBytes, final long lengthBytes, final ByteBuffer dst, final long dstOffsetBytes,
        final CRC32C crc)
    {
        return RangePlan.verifyWholeChunks(targets, version, offsetBytes, lengthBytes, dst, dstOffsetBytes, crc);
    }

    void recycle(final RangeRead read)
    {
        pool.give(read);
    }

    private RangeRead newContext()
    {
        synchronized (this)
        {
            final RangeRead[] current = slots;
            if (current.length == 1 << SLOT_BITS)
            {
                throw new IllegalStateException("more than " + current.length + " object range reads in flight");
            }
            final RangeRead read = new RangeRead(this, current.length, targets);
            final RangeRead[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = read;
            slots = next;
            return read;
        }
    }

    /** The future form's completion: the exception carries the corruption details when there are some. */
    private static final class RangeFuture extends CompletableFuture<Long> implements CorruptionListener
    {
        private CorruptExtentException corrupt;

        @Override
        public void onCorrupt(final long tag, final CorruptExtentException cause)
        {
            corrupt = cause;
        }

        @Override
        public void onComplete(final long tag, final long result)
        {
            if (result >= 0)
            {
                complete(result);
            }
            else if (result == CORRUPT && corrupt != null)
            {
                completeExceptionally(corrupt);
            }
            else
            {
                completeExceptionally(IoStatus.toException(result, "object range read"));
            }
        }
    }
}
