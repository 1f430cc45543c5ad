package dev.conduit.gdspath;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.RangeRequest;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The host path: the store's range reader (pinned version, io_uring or the pread pool, O_DIRECT
 * where the namespace has it) straight into a host {@link DeviceBuffer}, as {@link Priority#BULK}.
 * Writes go through a put session on the scheduled store.
 *
 * <p>Allocation: the future form allocates a {@link RangeRequest} and a future per read; the
 * callback form ({@link HostRead}) reuses pooled contexts, each re-arming the version handle it
 * closed last, and takes the key's bytes from {@link EncodedKeys}.
 *
 * <p>Threading: stateless apart from its store; any thread.
 */
final class HostPathEngine implements PathEngine
{
    private final ScheduledStore store;
    private final boolean verify;
    private final EncodedKeys keys = new EncodedKeys();

    HostPathEngine(final ScheduledStore store, final boolean verify)
    {
        this.store = store;
        this.verify = verify;
    }

    /** @return {@code pool}'s host slabs registered with the store's devices. */
    HostBufferRegistration registerBuffers(final DeviceBufferPool pool)
    {
        return HostBufferRegistration.register(store, pool);
    }

    /** @return whether reads check the store's CRC-32C (and so read whole chunks). */
    boolean verifies()
    {
        return verify;
    }

    @Override
    public PathKind kind()
    {
        return PathKind.HOST;
    }

    @Override
    public CompletableFuture<Long> read(
        final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes)
    {
        final RangeRequest request = new RangeRequest();
        try (ObjectReadHandle version = store.store().openObject(key))
        {
            request.object(version)
                .range(objectOffsetBytes, lengthBytes)
                .into(dst.segment(), dstOffsetBytes)
                .verify(verify)
                .priority(Priority.BULK);
            return store.reader().read(request);
        }
    }

    /**
     * The callback form: {@code read}'s own request and the scheduler's pooled contexts, no future.
     *
     * @param read completes once (unless this throws: then nothing was submitted).
     */
    void read(final String key, final long objectOffsetBytes, final long lengthBytes, final DeviceBuffer dst,
        final long dstOffsetBytes, final HostRead read)
    {
        try (ObjectReadHandle version = read.open(store.store(), keys.encode(key)))
        {
            read.request.object(version)
                .range(objectOffsetBytes, lengthBytes)
                .into(dst.segment(), dstOffsetBytes)
                .verify(verify)
                .deferVerification(read.defersVerification(verify))
                .priority(Priority.BULK);
            store.reader().read(read.request, read, 0);
        }
    }

    /** The caller's half of a deferred read: see {@link DataPath#verifyLanded}. */
    CorruptExtentException verifyLanded(final ObjectRecord version, final long objectOffsetBytes, final long lengthBytes,
        final ByteBuffer dst, final long dstOffsetBytes, final CRC32C crc)
    {
        return store.reader().verifyLanded(version, objectOffsetBytes, lengthBytes, dst, dstOffsetBytes, crc);
    }

    @Override
    public ObjectRecord write(final String key, final DeviceBuffer src, final long lengthBytes, final ObjectMetadata meta)
    {
        try (PutSession put = store.store().openPut(key, meta, lengthBytes))
        {
            put.append(src.segment().asSlice(0, lengthBytes));
            return put.commit();
        }
    }
}
