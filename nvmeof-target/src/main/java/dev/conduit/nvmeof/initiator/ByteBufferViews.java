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
    private static final int ENTRIES = 64;
    private static final int PAGE_SHIFT = 12;

    private final MemorySegment[] segments = new MemorySegment[ENTRIES];
    private final ByteBuffer[] views = new ByteBuffer[ENTRIES];

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
        final int index = (int)((segment.address() >>> PAGE_SHIFT) ^ segment.byteSize()) & (ENTRIES - 1);
        final MemorySegment cached = segments[index];
        if (cached != null
            && cached.address() == segment.address()
            && cached.byteSize() == segment.byteSize()
            && cached.isReadOnly() == segment.isReadOnly()
            && cached.scope() == segment.scope())
        {
            return views[index];
        }
        final ByteBuffer view = segment.asByteBuffer();
        segments[index] = segment;
        views[index] = view;
        return view;
    }
}
