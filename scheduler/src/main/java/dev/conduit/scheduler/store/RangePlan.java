package dev.conduit.scheduler.store;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.scheduler.TargetHandle;

/**
 * Where the bytes of one object range read go. The logical cover that is read is the requested
 * range widened to whole blocks (to whole checksum chunks when verifying). When the destination is
 * native memory whose address lines up with the object's blocks, the aligned middle of the cover
 * is read straight into it; the head and tail that it cannot take (a partial block or chunk, bytes
 * outside the requested range) are read into a staging buffer and copied out afterwards. Any other
 * destination (heap, or an address that does not line up) gets the whole cover staged.
 *
 * <pre>
 *   object   |....[ head ][           middle            ][ tail ]....|
 *   cover         ^cs     ^ms                           ^me      ^ce
 *   staging  [ head, rounded to blocks ][ tail, rounded to blocks ]
 *   dst                [ requested bytes, at dstOffset ]
 * </pre>
 *
 * <p>Threading: filled by the submitting thread before any piece is submitted; read by the
 * device thread that finishes the read (the ring publish orders the two).
 */
abstract class RangePlan implements ObjectLayout.PieceConsumer
{
    /** Destination views a plan keeps: a GET connection's buffer, or the few ring buffers a Loader cycles through. */
    private static final int KEPT_VIEWS = 4;

    /** A thread that owns no arena: a segment it may access is usable from the device threads too. */
    private static final Thread NOT_THE_OWNER = Thread.ofPlatform().unstarted(Thread::onSpinWait);

    final TargetHandle[] targets;
    final int alignment;
    int pieceCount;
    int[] namespace = new int[8];
    long[] physical = new long[8];
    long[] dataLength = new long[8];
    long[] readLength = new long[8];
    MemorySegment[] buffer = new MemorySegment[8];
    long[] bufferOffset = new long[8];
    ObjectRecord record;
    boolean verify;
    boolean deferDirect;
    long offsetBytes;
    long lengthBytes;
    long plannedBytes;
    private MemorySegment dst;
    private long dstOffsetBytes;
    private MemorySegment staging;
    private long coverStart;
    private long coverEnd;
    private long middleStart;
    private long middleEnd;
    private long tailStagingOffset;
    private MemorySegment regionBuffer;
    private long regionBufferOffset;
    private long regionLogicalStart;
    private final MemorySegment[] viewedDst = new MemorySegment[KEPT_VIEWS];
    private final ByteBuffer[] dstViews = new ByteBuffer[KEPT_VIEWS];
    private int nextKeptView;

    RangePlan(final TargetHandle[] targets)
    {
        this.targets = targets;
        int max = 1;
        for (final TargetHandle t : targets)
        {
            max = Math.max(max, t.target().alignment());
        }
        this.alignment = max;
    }

    /**
     * @param lengthBytes bytes needed.
     * @return an aligned native buffer of at least that size, owned by this plan.
     */
    abstract MemorySegment staging(long lengthBytes);

    /**
     * @param deferDirect with {@code verifyChunks}: the chunks read straight into the destination are left to the
     *                    caller ({@link ObjectRangeReader#verifyLanded}); the staged ones are still checked here.
     */
    void planPinned(
        final ObjectRecord version, final long offset, final long length, final MemorySegment destination, final long destinationOffset,
        final boolean verifyChunks, final boolean deferDirect)
    {
        final long sizeBytes = version.sizeBytes();
        if (offset < 0 || length < 0 || offset > sizeBytes - length)
        {
            throw new IllegalArgumentException("range " + offset + "+" + length + " is outside " + version.key() + " (" + sizeBytes + " bytes)");
        }
        if (!destination.isAccessibleBy(NOT_THE_OWNER))
        {
            throw new IllegalArgumentException("the destination must be usable from the device threads (heap, or a shared, "
                + "global or automatic arena), not confined to one thread");
        }
        if (destinationOffset < 0 || destinationOffset > destination.byteSize() - length)
        {
            throw new IllegalArgumentException("destination of " + destination.byteSize() + " bytes cannot take " + length +
                " bytes at offset " + destinationOffset);
        }
        reset(version, offset, length, destination, destinationOffset, verifyChunks);
        this.deferDirect = verifyChunks && deferDirect;
        if (length == 0)
        {
            return;
        }
        final long end = offset + length;
        final long unit = verifyChunks ? 1L << version.chunkShift() : alignment;
        coverStart = alignDown(offset, unit);
        coverEnd = Math.min(alignUp(end, unit), sizeBytes);
        middleStart = alignUp(offset, unit);
        middleEnd = end == sizeBytes && end % alignment == 0 ? end : alignDown(end, unit);
        final boolean direct = destination.isNative()
            && Math.floorMod(destination.address() + destinationOffset - offset, alignment) == 0;
        if (!direct || middleStart >= middleEnd)
        {
            middleStart = coverEnd;                 // everything staged
            middleEnd = coverEnd;
        }
        tailStagingOffset = alignUp(middleStart - coverStart, alignment);
        final long stagingBytes = tailStagingOffset + alignUp(coverEnd - middleEnd, alignment);
        staging = stagingBytes == 0 ? null : staging(stagingBytes);
        final ObjectLayout layout = version.layout();
        region(layout, coverStart, middleStart, staging, 0);
        region(layout, middleStart, middleEnd, destination, destinationOffset + (middleStart - offset));
        region(layout, middleEnd, coverEnd, staging, tailStagingOffset);
    }

    void planLayout(final ObjectLayout layout, final long offset, final MemorySegment destination, final long length)
    {
        reset(null, offset, length, destination, 0, false);
        deferDirect = false;
        if (length > 0)
        {
            region(layout, offset, offset + length, destination, 0);
        }
        for (int i = 0; i < pieceCount; i++)
        {
            if ((physical[i] % alignment) != 0 || bufferOffset[i] + readLength[i] > destination.byteSize())
            {
                throw new IllegalArgumentException("dst (" + destination.byteSize() + " bytes) cannot hold the range " + offset + "+" +
                    length + " rounded up to " + alignment + "-byte blocks, or the start is not block-aligned");
            }
        }
    }

    @Override
    public void accept(final int namespaceIndex, final long physicalOffset, final long logicalOffset, final long pieceBytes)
    {
        if (namespaceIndex < 0 || namespaceIndex >= targets.length)
        {
            throw new IllegalArgumentException("the layout names namespace " + namespaceIndex + " but " + targets.length + " targets were given");
        }
        if (pieceCount == namespace.length)
        {
            final int n = pieceCount * 2;
            namespace = Arrays.copyOf(namespace, n);
            physical = Arrays.copyOf(physical, n);
            dataLength = Arrays.copyOf(dataLength, n);
            readLength = Arrays.copyOf(readLength, n);
            buffer = Arrays.copyOf(buffer, n);
            bufferOffset = Arrays.copyOf(bufferOffset, n);
        }
        final int i = pieceCount++;
        namespace[i] = namespaceIndex;
        physical[i] = physicalOffset;
        dataLength[i] = pieceBytes;
        readLength[i] = alignUp(pieceBytes, targets[namespaceIndex].target().alignment());
        buffer[i] = regionBuffer;
        bufferOffset[i] = regionBufferOffset + (logicalOffset - regionLogicalStart);
        plannedBytes += pieceBytes;
    }

    /**
     * Checks every chunk of the cover against the record's CRC-32C.
     *
     * @param crc scratch checksum.
     * @return null when every chunk matches, else the first mismatch (key, namespace, physical offset).
     */
    CorruptExtentException verifyChunks(final CRC32C crc)
    {
        if (coverStart >= coverEnd)
        {
            return null;                            // an empty range touches no chunk
        }
        // One buffer view per segment, not one per chunk: with small chunks a read has many, and each
        // slice and view would be garbage (CRC32C.update takes the direct view with no copy).
        final boolean checkMiddle = middleStart < middleEnd && !deferDirect;
        final ByteBuffer middle = checkMiddle ? dstView(dst) : null;
        final ByteBuffer staged = staging == null ? null : stagingView(staging);
        final int shift = record.chunkShift();
        for (long chunk = coverStart >>> shift; chunk << shift < coverEnd; chunk++)
        {
            final long start = chunk << shift;
            final long length = record.chunkLengthBytes((int)chunk);
            crc.reset();
            if (start >= middleStart && start < middleEnd)
            {
                if (!checkMiddle)
                {
                    continue;                       // deferred: the caller checks the chunks that landed in its memory
                }
                update(crc, middle, dst, dstOffsetBytes + (start - offsetBytes), length);
            }
            else
            {
                final long at = start < middleStart ? start - coverStart : tailStagingOffset + (start - middleEnd);
                update(crc, staged, staging, at, length);
            }
            final int actual = (int)crc.getValue();
            final int expected = record.chunkCrc((int)chunk);
            if (actual != expected)
            {
                return mismatch(targets, record, (int)chunk, expected, actual);
            }
        }
        return null;
    }

    /**
     * Checks the chunks that lie wholly inside {@code [offset, offset + length)} of {@code version}, as
     * they landed in {@code dst} (whose byte {@code dstOffset} holds the object's byte {@code offset}):
     * what a deferred read left to its caller.
     *
     * @return the first mismatch, or null.
     */
    static CorruptExtentException verifyWholeChunks(
        final TargetHandle[] targets, final ObjectRecord version, final long offset, final long length, final ByteBuffer dst,
        final long dstOffset, final CRC32C crc)
    {
        final int shift = version.chunkShift();
        final long end = offset + length;
        for (long chunk = alignUp(offset, 1L << shift) >>> shift; chunk < version.chunkCount(); chunk++)
        {
            final long start = chunk << shift;
            final long chunkBytes = version.chunkLengthBytes((int)chunk);
            if (start + chunkBytes > end)
            {
                break;
            }
            crc.reset();
            update(crc, dst, null, dstOffset + (start - offset), chunkBytes);
            final int actual = (int)crc.getValue();
            final int expected = version.chunkCrc((int)chunk);
            if (actual != expected)
            {
                return mismatch(targets, version, (int)chunk, expected, actual);
            }
        }
        return null;
    }

    private static CorruptExtentException mismatch(
        final TargetHandle[] targets, final ObjectRecord version, final int chunk, final int expected, final int actual)
    {
        final long[] where = new long[2];
        version.layout().forEachPiece((long)chunk << version.chunkShift(), 1, (ns, physicalOffset, logical, n) ->
        {
            where[0] = ns;
            where[1] = physicalOffset;
        });
        final int ns = (int)where[0];
        return new CorruptExtentException(version.key(), ns, targets[ns].target().name(), where[1], chunk, expected, actual);
    }

    /**
     * @param segment a staging buffer {@link #staging} returned.
     * @return a buffer view of it for the CRC pass (a plan that keeps its staging buffer may keep the view too).
     */
    ByteBuffer stagingView(final MemorySegment segment)
    {
        return view(segment);
    }

    /**
     * A plan serves one caller after another, and callers that read into pooled buffers (the S3 GET
     * path's read buffers, the Loader's ring) hand the same destination segments back again and
     * again: the views of the last few are kept, so a repeated destination costs no ByteBuffer. A
     * segment with the same address, size, scope and access mode as a kept one is the same memory
     * seen the same way, so its view serves it too; anything else gets a view of its own, which
     * replaces the oldest kept one.
     *
     * @param segment the read's destination.
     * @return a buffer view of it for the CRC pass, or null when it is too large for one.
     */
    private ByteBuffer dstView(final MemorySegment segment)
    {
        for (int i = 0; i < KEPT_VIEWS; i++)
        {
            final MemorySegment kept = viewedDst[i];
            if (kept == segment || sameMemory(kept, segment))
            {
                return dstViews[i];
            }
        }
        final int slot = nextKeptView;
        nextKeptView = (slot + 1) % KEPT_VIEWS;
        viewedDst[slot] = segment;
        dstViews[slot] = view(segment);
        return dstViews[slot];
    }

    private static boolean sameMemory(final MemorySegment a, final MemorySegment b)
    {
        return a != null && a.address() == b.address() && a.byteSize() == b.byteSize() && a.scope() == b.scope()
            && a.isReadOnly() == b.isReadOnly() && a.isNative() && b.isNative();
    }

    /** @return a buffer view of the whole segment, or null when it is too large for one (then chunks slice their own). */
    static ByteBuffer view(final MemorySegment segment)
    {
        return segment.byteSize() > Integer.MAX_VALUE ? null : segment.asByteBuffer();
    }

    private static void update(final CRC32C crc, final ByteBuffer view, final MemorySegment segment, final long at, final long length)
    {
        if (view == null)
        {
            crc.update(segment.asSlice(at, length).asByteBuffer());
            return;
        }
        view.clear().limit((int)(at + length)).position((int)at);
        crc.update(view);
    }

    /** Copies the requested bytes that were staged (head and tail) to the destination. */
    void copyOut()
    {
        final long end = offsetBytes + lengthBytes;
        copy(Math.max(offsetBytes, coverStart), Math.min(end, middleStart), coverStart, 0);
        copy(Math.max(offsetBytes, middleEnd), Math.min(end, coverEnd), middleEnd, tailStagingOffset);
    }

    void clearPlan()
    {
        record = null;
        dst = null;
        staging = null;
        regionBuffer = null;
        Arrays.fill(buffer, 0, pieceCount, null);
    }

    private void copy(final long from, final long to, final long regionStart, final long stagingOffset)
    {
        if (from < to)
        {
            MemorySegment.copy(staging, stagingOffset + (from - regionStart), dst, dstOffsetBytes + (from - offsetBytes), to - from);
        }
    }

    private void reset(
        final ObjectRecord version, final long offset, final long length, final MemorySegment destination, final long destinationOffset,
        final boolean verifyChunks)
    {
        pieceCount = 0;
        plannedBytes = 0;
        record = version;
        verify = verifyChunks;
        offsetBytes = offset;
        lengthBytes = length;
        dst = destination;
        dstOffsetBytes = destinationOffset;
        staging = null;
        coverStart = offset;
        coverEnd = offset;
        middleStart = offset;
        middleEnd = offset;
        tailStagingOffset = 0;
    }

    private void region(final ObjectLayout layout, final long start, final long end, final MemorySegment into, final long intoOffset)
    {
        if (start < end)
        {
            regionBuffer = into;
            regionBufferOffset = intoOffset;
            regionLogicalStart = start;
            layout.forEachPiece(start, end - start, this);
        }
    }

    private static long alignDown(final long value, final long unit)
    {
        return value - value % unit;
    }

    private static long alignUp(final long value, final long unit)
    {
        return (value + unit - 1) / unit * unit;
    }
}
