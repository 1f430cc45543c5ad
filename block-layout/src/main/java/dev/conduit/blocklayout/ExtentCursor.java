package dev.conduit.blocklayout;

import java.util.List;

/**
 * Maps offsets of a byte stream laid over a list of extents (in order) to physical positions.
 * Lookups move forward from the previous one, so sequential streams cost O(1) per call.
 */
final class ExtentCursor
{
    private final List<Extent> extents;
    private int index;
    private long indexStart;

    ExtentCursor(final List<Extent> extents)
    {
        this.extents = extents;
    }

    /**
     * @param streamOffset offset within the stream.
     * @return the extent holding it.
     */
    Extent locate(final long streamOffset)
    {
        if (streamOffset < indexStart)
        {
            index = 0;
            indexStart = 0;
        }
        while (index < extents.size() && streamOffset >= indexStart + extents.get(index).lengthBytes())
        {
            indexStart += extents.get(index).lengthBytes();
            index++;
        }
        if (index == extents.size())
        {
            throw LayoutErrors.corrupt("extent stream", "offset " + streamOffset + " lies beyond its extents");
        }
        return extents.get(index);
    }

    /**
     * @param streamOffset offset within the stream.
     * @return its physical offset on the namespace of {@link #locate(long)}.
     */
    long physicalOffset(final long streamOffset)
    {
        final Extent e = locate(streamOffset);
        return e.offsetBytes() + (streamOffset - indexStart);
    }

    /** Receives one physical piece of a stream range. */
    @FunctionalInterface
    interface PieceConsumer
    {
        /**
         * @param extent       the extent holding the piece.
         * @param physical     its physical offset.
         * @param rangeOffset  its offset within the range.
         * @param lengthBytes  its length.
         */
        void accept(Extent extent, long physical, long rangeOffset, long lengthBytes);
    }

    /**
     * Splits {@code [streamOffset, streamOffset + lengthBytes)} at extent boundaries.
     *
     * @param streamOffset start within the stream.
     * @param lengthBytes  bytes.
     * @param consumer     receives each piece in order.
     */
    void forEachPiece(final long streamOffset, final long lengthBytes, final PieceConsumer consumer)
    {
        long done = 0;
        while (done < lengthBytes)
        {
            final Extent e = locate(streamOffset + done);
            final long physical = physicalOffset(streamOffset + done);
            final long take = Math.min(lengthBytes - done, e.endBytes() - physical);
            consumer.accept(e, physical, done, take);
            done += take;
        }
    }
}
