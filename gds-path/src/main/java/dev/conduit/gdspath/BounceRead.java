package dev.conduit.gdspath;

import java.util.concurrent.CompletableFuture;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * One {@link DataPath#read} on the bounce path, split into slot-sized chunks at slot-aligned object
 * offsets. It completes once every chunk it submitted has been read and copied (or failed), so no
 * byte lands in the destination after its future completes.
 *
 * <p>Threading: owned by the bounce agent after submission.
 */
final class BounceRead extends EngineRead
{
    final ObjectReadHandle version;
    final long objectOffsetBytes;
    final long endBytes;
    final DeviceBuffer dst;
    final long dstOffsetBytes;
    final long stepBytes;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long nextBytes;
    int chunksOut;
    boolean versionClosed;

    BounceRead(final ObjectReadHandle version, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes, final long stepBytes)
    {
        this.stepBytes = stepBytes;
        this.version = version;
        this.objectOffsetBytes = objectOffsetBytes;
        this.endBytes = objectOffsetBytes + lengthBytes;
        this.dst = dst;
        this.dstOffsetBytes = dstOffsetBytes;
        this.nextBytes = objectOffsetBytes;
    }

    boolean allSubmitted()
    {
        return nextBytes >= endBytes || failure != null;
    }
}
