package dev.conduit.gdspath;

import java.util.concurrent.CompletableFuture;

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
 * <p>Allocation: one {@link RangeRequest} and one future per read; a per-thread request and the
 * callback form come with the device paths, whose ring owns the completions.
 *
 * <p>Threading: stateless apart from its store; any thread.
 */
final class HostPathEngine implements PathEngine
{
    private final ScheduledStore store;
    private final boolean verify;

    HostPathEngine(final ScheduledStore store, final boolean verify)
    {
        this.store = store;
        this.verify = verify;
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
