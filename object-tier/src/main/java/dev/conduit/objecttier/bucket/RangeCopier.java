package dev.conduit.objecttier.bucket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.PutSession;

/**
 * Copies a byte range of a pinned object version into a put session, one verified chunk at a
 * time (CopyObject, UploadPartCopy). Memory is one chunk buffer (the record's chunk size; 1 MiB
 * or less for objects up to tens of GiB), whatever the size of the range; the session writes
 * behind the reads.
 */
final class RangeCopier
{
    private RangeCopier()
    {
    }

    /**
     * @param source      the pinned source version.
     * @param offsetBytes first byte to copy.
     * @param lengthBytes bytes to copy; {@code offsetBytes + lengthBytes <= size}.
     * @param target      where the bytes go, appended in order.
     */
    static void copy(final ObjectReadHandle source, final long offsetBytes, final long lengthBytes, final PutSession target)
    {
        if (lengthBytes == 0)
        {
            return;
        }
        final ObjectRecord record = source.record();
        final int shift = record.chunkShift();
        final long endBytes = offsetBytes + lengthBytes;
        final int first = (int)(offsetBytes >>> shift);
        final int last = (int)((endBytes - 1) >>> shift);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = arena.allocate(record.chunkBufferBytes(), 4096);
            for (int i = first; i <= last; i++)
            {
                source.readChunk(i, chunk);
                final long chunkStart = (long)i << shift;
                final long from = Math.max(offsetBytes, chunkStart) - chunkStart;
                final long to = Math.min(endBytes, chunkStart + record.chunkLengthBytes(i)) - chunkStart;
                target.append(chunk.asSlice(from, to - from));
            }
        }
    }
}
