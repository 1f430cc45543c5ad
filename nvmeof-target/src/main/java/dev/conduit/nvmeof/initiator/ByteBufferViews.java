package dev.conduit.nvmeof.initiator;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Byte-buffer views of the native memory commands read into and write from, remembered so that a
 * caller reusing its buffers costs no view per PDU (socket channels take only byte buffers). A view
 * is reused only for a segment with the same address, size, access mode and scope (the same arena),
 * so memory freed and allocated again at the same address never gets a stale view. Heap segments
 * get a fresh view each time.
 *
 * <p>Threading: one owner thread (the queue's reading thread); the views' positions and limits are
 * its to set.
 */
final class ByteBufferViews
{
    // 256 entries in sets of 4: a queue of up to 128 commands, each with its own buffer, stays cached.
    private static final int ENTRIES = 256;
    private static final int WAYS = 4;
    private static final int SET_SHIFT = Long.SIZE - 6;
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;

    private final MemorySegment[] segments = new MemorySegment[ENTRIES];
    private final ByteBuffer[] views = new ByteBuffer[ENTRIES];
    private final int[] nextVictim = new int[ENTRIES / WAYS];

    /**
     * @param segment command memory.
     * @return a view of all of {@code segment}; set its position and limit before use.
     */
    ByteBuffer of(final MemorySegment segment)
    {
        if (!segment.isNative())
        {
            return segment.asByteBuffer();
        }
        final int set = (int)(((segment.address() ^ segment.byteSize()) * FIBONACCI) >>> SET_SHIFT);
        final int first = set * WAYS;
        for (int index = first; index < first + WAYS; index++)
        {
            final MemorySegment cached = segments[index];
            if (cached != null
                && cached.address() == segment.address()
                && cached.byteSize() == segment.byteSize()
                && cached.isReadOnly() == segment.isReadOnly()
                && cached.scope() == segment.scope())
            {
                return views[index];
            }
        }
        final int victim = first + nextVictim[set];
        nextVictim[set] = (nextVictim[set] + 1) % WAYS;
        final ByteBuffer view = segment.asByteBuffer();
        segments[victim] = segment;
        views[victim] = view;
        return view;
    }
}
