package dev.conduit.gdspath;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.blocklayout.ObjectLayout;
import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * One {@link DataPath#read} on the GDS path: the object's pieces (one per extent run, split at the
 * engine's largest batch entry) read by cuFile batch entries straight into device memory. It
 * completes once every entry it submitted has been reported, so no DMA lands after its future.
 *
 * <p>Threading: planned by the caller; owned by the GDS agent after submission.
 */
class GdsRead extends EngineRead
{
    final String key;
    int piecesOut;
    MemorySegment shadow;
    Arena shadowArena;

    GdsRead(final String key, final ObjectReadHandle version, final long objectOffsetBytes, final long lengthBytes,
        final DeviceBuffer dst, final long dstOffsetBytes)
    {
        super(version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes);
        this.key = key;
    }

    /** @return where the object's bytes lie. */
    ObjectLayout layout()
    {
        return version.record().layout();
    }

    /** @return true when the batch entries move bytes from the buffer to the file ({@link GdsWrite}). */
    boolean writes()
    {
        return false;
    }
}
