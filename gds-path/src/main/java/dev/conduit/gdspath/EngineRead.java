package dev.conduit.gdspath;

import java.util.concurrent.CompletableFuture;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * What the GPU engines' reads share: the pinned object version, the range, the destination, the
 * future, and the first failure of any of their pieces (later ones suppressed into it), so a read
 * that fails reports every cause once all its pieces are back.
 *
 * <p>Threading: planned by the caller; owned by the engine's agent after submission.
 */
abstract class EngineRead
{
    final ObjectReadHandle version;
    final long objectOffsetBytes;
    final long lengthBytes;
    final DeviceBuffer dst;
    final long dstOffsetBytes;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    Throwable failure;

    EngineRead(final ObjectReadHandle version, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes)
    {
        this.version = version;
        this.objectOffsetBytes = objectOffsetBytes;
        this.lengthBytes = lengthBytes;
        this.dst = dst;
        this.dstOffsetBytes = dstOffsetBytes;
    }

    final void fail(final Throwable t)
    {
        if (failure == null)
        {
            failure = t;
        }
        else if (failure != t)
        {
            failure.addSuppressed(t);
        }
    }
}
