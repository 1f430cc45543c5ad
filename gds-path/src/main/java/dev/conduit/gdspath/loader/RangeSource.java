package dev.conduit.gdspath.loader;

import java.lang.foreign.MemorySegment;

/**
 * Synchronous reads of one object's bytes, for scanning a tar's headers. The loader's source reads
 * through its {@link dev.conduit.gdspath.DataPath} (verified, {@code BULK}) into a scratch buffer.
 */
@FunctionalInterface
public interface RangeSource
{
    /**
     * @param offsetBytes first byte within the object.
     * @param lengthBytes bytes wanted, at most {@link TarIndex#WINDOW_BYTES}.
     * @return exactly those bytes; valid until the next call.
     */
    MemorySegment read(long offsetBytes, long lengthBytes);
}
