package dev.conduit.scheduler.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.Errno;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.TargetHandle;

/**
 * One object range read in flight, pooled by {@link ObjectRangeReader}: the plan (which logical
 * bytes are read where: an aligned middle straight into the caller's memory, an unaligned or
 * partially covered head and tail into a staging buffer), its pieces, the count of pieces still
 * out, and what happens once the last one is back (verify chunks, copy the staged bytes out,
 * unpin the version, deliver one completion, return to the pool).
 *
 * <p>Threading: planned and submitted by the reading thread; completed by device threads; the
 * last piece's thread finishes it. {@link #cancel} may come from any thread; {@code holds} keeps
 * the context from being reused while a cancel looks at it.
 */
final class RangeRead extends RangePlan implements IoCallback
{
    private static final long STAGING_KEPT_BYTES = 8L << 20;

    private final ObjectRangeReader reader;
    private final int slot;
    private final IoRequest piece = new IoRequest();
    private final CRC32C crc = new CRC32C();
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger holds = new AtomicInteger();
    private final AtomicLong firstError = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private long[] requestIds = new long[8];
    private MemorySegment kept = MemorySegment.NULL;
    private ByteBuffer keptView;
    private volatile long generation;
    private volatile int submitted;
    private volatile boolean cancelled;
    private volatile boolean finished;
    private ObjectReadHandle handle;
    private IoCallback downstream;
    private long tag;

    RangeRead(final ObjectRangeReader reader, final int slot, final TargetHandle[] targets)
    {
        super(targets);
        this.reader = reader;
        this.slot = slot;
    }

    /** @return the id of the read this context now carries (slot and generation). */
    long id()
    {
        return (generation << ObjectRangeReader.SLOT_BITS) | slot;
    }

    /**
     * Plans a pinned read; throws, leaving nothing pinned or submitted, when the request is malformed.
     *
     * @return this.
     */
    RangeRead prepare(final RangeRequest request, final IoCallback callback, final long tag)
    {
        begin(callback, tag);
        final ObjectReadHandle version = request.object;
        if (version == null || request.destination == null)
        {
            throw new IllegalArgumentException("a range request needs an object and a destination");
        }
        planPinned(version.record(), request.offsetBytes, request.lengthBytes, request.destination,
            request.destinationOffsetBytes, request.verify, request.deferDirect);
        request.applyTo(piece);
        if (!version.tryRetain())
        {
            throw new IllegalStateException("read handle for " + version.record().key() + " is closed");
        }
        this.handle = version;
        return this;
    }

    /**
     * Plans an unpinned read of a layout (block-aligned start, destination rounded up to blocks).
     *
     * @return this.
     */
    RangeRead prepare(final ObjectLayout layout, final long offsetBytes, final MemorySegment dst, final long lengthBytes,
        final dev.conduit.scheduler.Priority priority, final IoCallback callback, final long tag)
    {
        begin(callback, tag);
        planLayout(layout, offsetBytes, dst, lengthBytes);
        piece.priority(priority).noDeadline();
        return this;
    }

    /** Submits every piece; a failure part way fails the rest, and the read still completes once. */
    void submit()
    {
        try
        {
            submitPieces(pieceCount);
        }
        finally
        {
            dropHold();                         // the submitter's hold: the context is not reused under it
        }
    }

    private void submitPieces(final int count)
    {
        if (count == 0)
        {
            finish();
            return;
        }
        if (requestIds.length < count)
        {
            requestIds = new long[Math.max(count, requestIds.length * 2)];
        }
        remaining.set(count);
        for (int i = 0; i < count; i++)
        {
            final TargetHandle target = targets[namespace[i]];
            long status = 0;
            try
            {
                piece.read(target, physical[i], buffer[i], bufferOffset[i], readLength[i]);
                requestIds[i] = target.device().submit(piece, this, i);
                submitted = i + 1;
                if (cancelled)
                {
                    status = IoStatus.CANCELLED;
                }
            }
            catch (final ConduitException e)
            {
                status = IoStatus.SHUTDOWN;       // closed scheduler, or a full ring on a device thread
            }
            catch (final IllegalArgumentException e)
            {
                status = -Errno.EINVAL;
            }
            if (status != 0)
            {
                failUnsubmitted(status, count);
                return;
            }
        }
    }

    /** Ends a submission cut short: the pieces not submitted complete here with {@code status}. */
    private void failUnsubmitted(final long status, final int count)
    {
        final int from = submitted;
        if (status == IoStatus.CANCELLED)
        {
            // A cancel that raced with submission may have missed the latest pieces.
            cancelSubmitted(from);
        }
        for (int j = from; j < count; j++)
        {
            onComplete(j, status);
        }
    }

    /**
     * @param readId the id {@link #id()} gave.
     */
    void cancel(final long readId)
    {
        while (true)
        {
            final int h = holds.get();
            if (h == 0)
            {
                return;
            }
            if (holds.compareAndSet(h, h + 1))
            {
                break;
            }
        }
        try
        {
            if (id() == readId && !finished)
            {
                cancelled = true;
                cancelSubmitted(submitted);
            }
        }
        finally
        {
            dropHold();
        }
    }

    /** Returns a context whose preparation failed (nothing was submitted or pinned) to the pool. */
    void abandon()
    {
        endRead();
        holds.decrementAndGet();                // the read's hold (never the last: the submitter's remains)
        dropHold();
    }

    @Override
    public void onComplete(final long pieceIndex, final long result)
    {
        final int p = (int)pieceIndex;
        if (result < 0)
        {
            firstError.compareAndSet(0, result);
        }
        else
        {
            bytes.addAndGet(Math.min(result, dataLength[p]));
        }
        if (remaining.decrementAndGet() == 0)
        {
            finish();
        }
    }

    private void begin(final IoCallback callback, final long tag)
    {
        generation++;
        holds.set(2);                           // one for the read (dropped by finish), one for the submitter
        finished = false;
        cancelled = false;
        submitted = 0;
        firstError.set(0);
        bytes.set(0);
        this.downstream = callback;
        this.tag = tag;
    }

    @Override
    MemorySegment staging(final long lengthBytes)
    {
        if (kept.byteSize() >= lengthBytes)
        {
            return kept;
        }
        // Auto arenas: a grown buffer is freed by the GC once no context holds it; buffers beyond
        // STAGING_KEPT_BYTES serve one read only, so a rare huge heap read does not pin memory.
        final MemorySegment grown = Arena.ofAuto().allocate(Math.max(lengthBytes, 2L * alignment), alignment);
        if (lengthBytes <= STAGING_KEPT_BYTES)
        {
            kept = grown;
            keptView = null;
        }
        return grown;
    }

    @Override
    ByteBuffer stagingView(final MemorySegment segment)
    {
        if (segment != kept)
        {
            return view(segment);
        }
        // The kept buffer is this context's own and lives as long as it: its view is made once, not per read.
        if (keptView == null)
        {
            keptView = view(kept);
        }
        return keptView;
    }

    private void cancelSubmitted(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            try
            {
                targets[namespace[i]].device().cancel(requestIds[i]);
            }
            catch (final ConduitException e)
            {
                // Closed scheduler: its pieces complete with SHUTDOWN instead; cancelling is best effort.
            }
        }
    }

    private void finish()
    {
        long result = firstError.get();
        CorruptExtentException corrupt = null;
        if (result == 0)
        {
            if (record == null)
            {
                result = bytes.get();
            }
            else if (bytes.get() < plannedBytes)
            {
                result = -Errno.EIO;                // a namespace came up short inside the object's extents
            }
            else
            {
                try
                {
                    corrupt = verify ? verifyChunks(crc) : null;
                    if (corrupt == null)
                    {
                        copyOut();
                        result = lengthBytes;
                    }
                    else
                    {
                        result = ObjectRangeReader.CORRUPT;
                    }
                }
                catch (final RuntimeException e)
                {
                    result = -Errno.EFAULT;         // the destination went away (its arena closed) while the read was in flight
                }
            }
        }
        final IoCallback callback = downstream;
        final long callbackTag = tag;
        endRead();
        if (corrupt != null && callback instanceof ObjectRangeReader.CorruptionListener listener)
        {
            listener.onCorrupt(callbackTag, corrupt);
        }
        try
        {
            callback.onComplete(callbackTag, result);
        }
        finally
        {
            dropHold();
        }
    }

    /** Forgets the plan and the callback, and unpins the version. */
    private void endRead()
    {
        final ObjectReadHandle version = handle;
        handle = null;
        downstream = null;
        clearPlan();
        finished = true;
        if (version != null)
        {
            version.release();
        }
    }

    private void dropHold()
    {
        if (holds.decrementAndGet() == 0)
        {
            reader.recycle(this);
        }
    }
}
