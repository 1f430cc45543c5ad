package dev.conduit.gdspath;

import java.util.concurrent.CompletableFuture;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;

/**
 * How bytes move on one path: {@link GdsEngine} (cuFile batches into device buffers),
 * {@link BounceEngine} (pinned host ring, then {@code cuMemcpyHtoDAsync}) and {@link HostPathEngine}. {@link DataPath} does bounds checks, in-flight tracking and statistics
 * once, around whichever engine runs.
 *
 * <p>Threading: any thread may call; completions arrive on the engine's threads.
 */
interface PathEngine
{
    /** @return the path this engine implements. */
    PathKind kind();

    /**
     * @param lengthBytes a read's length.
     * @return the path a read of that length takes (the GDS engine bounces small reads).
     */
    default PathKind pathFor(final long lengthBytes)
    {
        return kind();
    }

    /**
     * @return a future completing with {@code lengthBytes}, or exceptionally with the store's or
     *         scheduler's exception; it completes only after no more bytes will land in {@code dst}.
     */
    CompletableFuture<Long> read(String key, long objectOffsetBytes, long lengthBytes, DeviceBuffer dst, long dstOffsetBytes);

    /** Writes {@code lengthBytes} of {@code src} as the new version of {@code key}. */
    ObjectRecord write(String key, DeviceBuffer src, long lengthBytes, ObjectMetadata meta);
}
