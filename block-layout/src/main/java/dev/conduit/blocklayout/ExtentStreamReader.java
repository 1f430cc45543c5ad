package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;

/**
 * Reads a byte stream sequentially from a list of extents through one aligned buffer (the
 * checkpoint loader's input); values may straddle buffer refills.
 *
 * <p>Threading: one thread.
 */
final class ExtentStreamReader
{
    private final List<Namespace> namespaces;
    private final ExtentCursor cursor;
    private final MemorySegment buffer;
    private final byte[] scratch = new byte[4];
    private final long lengthBytes;
    private long bufferStart;
    private int bufferFilled;
    private int position;

    /**
     * @param namespaces  the store's namespaces by index.
     * @param extents     where the stream lies, in order.
     * @param lengthBytes stream length (a multiple of 4096).
     * @param buffer      aligned buffer, a multiple of 4096 bytes.
     */
    ExtentStreamReader(final List<Namespace> namespaces, final List<Extent> extents, final long lengthBytes, final MemorySegment buffer)
    {
        this.namespaces = namespaces;
        this.cursor = new ExtentCursor(extents);
        this.buffer = buffer;
        this.lengthBytes = lengthBytes;
    }

    /**
     * @param dst    destination.
     * @param offset start in {@code dst}.
     * @param length count.
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} past the stream's end.
     */
    void readFully(final byte[] dst, final int offset, final int length)
    {
        int done = 0;
        while (done < length)
        {
            if (position == bufferFilled)
            {
                refill();
            }
            final int take = Math.min(length - done, bufferFilled - position);
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, position, dst, offset + done, take);
            position += take;
            done += take;
        }
    }

    /** @return the next little-endian u32. */
    int readInt()
    {
        final byte[] b = scratch;
        readFully(b, 0, 4);
        return Bytes.u32(b, 0);
    }

    private void refill()
    {
        bufferStart += bufferFilled;
        position = 0;
        bufferFilled = (int)Math.min(buffer.byteSize(), lengthBytes - bufferStart);
        if (bufferFilled <= 0)
        {
            throw LayoutErrors.corrupt("checkpoint", "stream ends early at " + bufferStart + " bytes");
        }
        cursor.forEachPiece(bufferStart, bufferFilled,
            (e, physical, at, take) -> namespaces.get(e.namespaceIndex()).readFully(buffer.asSlice(at, take), physical));
    }
}
