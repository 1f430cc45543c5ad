package dev.conduit.blocklayout;

/**
 * A contiguous, 4 KiB-aligned run of bytes on one namespace of the store.
 *
 * @param namespaceIndex index of the namespace within the store (0..N-1).
 * @param offsetBytes    absolute offset on that namespace, a multiple of 4096.
 * @param lengthBytes    length, a positive multiple of 4096.
 */
public record Extent(int namespaceIndex, long offsetBytes, long lengthBytes)
{
    /** @return the first byte after the extent. */
    public long endBytes()
    {
        return offsetBytes + lengthBytes;
    }

    @Override
    public String toString()
    {
        return "ns" + namespaceIndex + "@" + offsetBytes + "+" + lengthBytes;
    }
}
