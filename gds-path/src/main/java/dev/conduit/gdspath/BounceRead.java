package dev.conduit.gdspath;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * One {@link DataPath#read} on the bounce path, split into chunks ending on multiples of
 * {@link #stepBytes} in the object. It completes once every chunk it submitted has been read and
 * copied (or failed), so no byte lands in the destination after its future completes.
 *
 * <p>Threading: owned by the bounce agent after submission.
 */
final class BounceRead extends EngineRead
{
    final long endBytes;
    final long stepBytes;
    long nextBytes;
    int chunksOut;
    boolean versionClosed;

    BounceRead(final ObjectReadHandle version, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes, final long stepBytes)
    {
        super(version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        this.endBytes = objectOffsetBytes + lengthBytes;
        this.stepBytes = stepBytes;
        this.nextBytes = objectOffsetBytes;
    }

    boolean allSubmitted()
    {
        return nextBytes >= endBytes || failure != null;
    }
}
