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
}
