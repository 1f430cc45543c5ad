package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.core.ConduitException;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.TargetHandle;

/**
 * Reads a byte range of an object straight from its extents through the scheduler: the range is
 * cut where the object's layout cuts it (stripe units, extents, columns on different namespaces),
 * each piece becomes one request on the device of its namespace, all pieces are in flight at once,
 * and one completion reports the whole range. Pieces larger than a device's task size are split
 * further by that device; adjacent small pieces on one namespace are merged by it.
 *
 * <pre>{@code
 * final ObjectRangeReader reader = new ObjectRangeReader(scheduledStore.targets());
 * final ObjectRecord record = store.stat("model.bin");
 * final long bytes = reader.read(record.layout(), 8 << 20, buffer, 4 << 20, Priority.BULK).join();
 * }</pre>
 *
 * <p>Alignment: the range start and the buffer address must be aligned to every namespace's block
 * size; the last piece is rounded up to a whole block (extents are allocated in whole blocks, so
 * the extra bytes are the extent's own), so {@code dst} must hold {@code lengthBytes} rounded up to
 * the block size. The result counts only the requested bytes. Checksums are not verified here
 * (the GPU paths verify chunks themselves; {@code ObjectReadHandle} verifies for host reads).
 *
 * <p>Errors: one failed piece fails the range with that piece's errno (the other pieces still run
 * to completion before the range completes, so the buffer is the caller's again when it does).
 *
 * <p>Threading: any thread may read; completions arrive on the device threads (the last piece to
 * finish delivers the range's completion). Each call allocates one small aggregator; the requests
 * themselves go through the allocation-free ring.
 */
public final class ObjectRangeReader
{
    private final TargetHandle[] targets;

    /**
     * @param targets the store's namespaces as scheduler targets, indexed by namespace index
     *                ({@link ScheduledStore#targets()}).
     */
    public ObjectRangeReader(final List<TargetHandle> targets)
    {
        this.targets = targets.toArray(new TargetHandle[0]);
    }

    /**
     * Reads {@code [logicalOffset, logicalOffset + lengthBytes)} of an object into {@code dst[0, ...)}.
     *
     * @param layout        the object's layout ({@code ObjectRecord.layout()}).
     * @param logicalOffset start within the object, block-aligned.
     * @param dst           native destination, block-aligned, at least {@code lengthBytes} rounded up to a block.
     * @param lengthBytes   bytes to read; the range must lie within the object's data.
     * @param priority      class of every piece.
     * @return a future completing with {@code lengthBytes} (fewer only if a namespace came up short),
     *         or exceptionally with the first piece's failure (code: errno name).
     */
    public CompletableFuture<Long> read(
        final ObjectLayout layout, final long logicalOffset, final MemorySegment dst, final long lengthBytes,
        final Priority priority)
    {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        final String what = "object range read(off=" + logicalOffset + ", len=" + lengthBytes + ")";
        read(layout, logicalOffset, dst, lengthBytes, priority, (tag, result) ->
        {
            if (result >= 0)
            {
                future.complete(result);
            }
            else
            {
                future.completeExceptionally(IoStatus.toException(result, what));
            }
        }, 0);
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
     * @param callback      called once, on a device thread, with the bytes read or a negative {@link IoStatus} code.
     * @param tag           passed to the callback.
     * @return how many requests (pieces) were submitted.
     * @throws IllegalArgumentException when a piece is misaligned, outside {@code dst}, or on an unknown namespace.
     */
    public int read(
        final ObjectLayout layout, final long logicalOffset, final MemorySegment dst, final long lengthBytes,
        final Priority priority, final IoCallback callback, final long tag)
    {
        final Pieces pieces = Pieces.of(layout, logicalOffset, lengthBytes);
        validate(pieces, logicalOffset, dst);
        final RangeCompletion completion = new RangeCompletion(pieces, callback, tag);
        if (pieces.count == 0)
        {
            callback.onComplete(tag, 0);
            return 0;
        }
        final IoRequest request = new IoRequest().priority(priority);
        for (int i = 0; i < pieces.count; i++)
        {
            final TargetHandle target = targets[pieces.namespace[i]];
            request.read(target, pieces.physical[i], dst, pieces.logical[i] - logicalOffset,
                roundUp(pieces.length[i], target.target().alignment()));
            try
            {
                target.device().submit(request, completion, i);
            }
            catch (final ConduitException e)
            {
                // Closed scheduler or a full ring on a device thread: the unsubmitted pieces fail here,
                // the submitted ones still complete, and the range completes after the last of them.
                for (int j = i; j < pieces.count; j++)
                {
                    completion.onComplete(j, IoStatus.SHUTDOWN);
                }
                break;
            }
        }
        return pieces.count;
    }

    private void validate(final Pieces pieces, final long logicalOffset, final MemorySegment dst)
    {
        for (int i = 0; i < pieces.count; i++)
        {
            final int ns = pieces.namespace[i];
            if (ns < 0 || ns >= targets.length)
            {
                throw new IllegalArgumentException("the layout names namespace " + ns + " but " + targets.length +
                    " targets were given");
            }
            final int alignment = targets[ns].target().alignment();
            final long dstOffset = pieces.logical[i] - logicalOffset;
            if (dstOffset + roundUp(pieces.length[i], alignment) > dst.byteSize())
            {
                throw new IllegalArgumentException("dst (" + dst.byteSize() + " bytes) cannot hold the range rounded up to " +
                    alignment + "-byte blocks");
            }
        }
    }

    private static long roundUp(final long value, final int alignment)
    {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** The physical pieces of a logical range, in logical order. */
    private static final class Pieces implements ObjectLayout.PieceConsumer
    {
        int count;
        int[] namespace = new int[8];
        long[] physical = new long[8];
        long[] logical = new long[8];
        long[] length = new long[8];

        static Pieces of(final ObjectLayout layout, final long logicalOffset, final long lengthBytes)
        {
            final Pieces pieces = new Pieces();
            if (lengthBytes > 0)
            {
                layout.forEachPiece(logicalOffset, lengthBytes, pieces);
            }
            return pieces;
        }

        @Override
        public void accept(final int namespaceIndex, final long physicalOffset, final long logicalOffset, final long lengthBytes)
        {
            if (count == namespace.length)
            {
                namespace = java.util.Arrays.copyOf(namespace, count * 2);
                physical = java.util.Arrays.copyOf(physical, count * 2);
                logical = java.util.Arrays.copyOf(logical, count * 2);
                length = java.util.Arrays.copyOf(length, count * 2);
            }
            namespace[count] = namespaceIndex;
            physical[count] = physicalOffset;
            logical[count] = logicalOffset;
            length[count] = lengthBytes;
            count++;
        }
    }

    /** Counts piece completions (from several device threads) and reports the range once. */
    private static final class RangeCompletion implements IoCallback
    {
        private final long[] pieceLengths;
        private final AtomicInteger remaining;
        private final AtomicLong bytes = new AtomicLong();
        private final AtomicLong firstError = new AtomicLong();
        private final IoCallback downstream;
        private final long tag;

        RangeCompletion(final Pieces pieces, final IoCallback downstream, final long tag)
        {
            this.pieceLengths = java.util.Arrays.copyOf(pieces.length, pieces.count);
            this.remaining = new AtomicInteger(pieces.count);
            this.downstream = downstream;
            this.tag = tag;
        }

        @Override
        public void onComplete(final long piece, final long result)
        {
            if (result < 0)
            {
                firstError.compareAndSet(0, result);
            }
            else
            {
                bytes.addAndGet(Math.min(result, pieceLengths[(int)piece]));
            }
            if (remaining.decrementAndGet() == 0)
            {
                final long error = firstError.get();
                downstream.onComplete(tag, error != 0 ? error : bytes.get());
            }
        }
    }
}
