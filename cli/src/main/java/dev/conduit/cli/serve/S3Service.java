package dev.conduit.cli.serve;

import dev.conduit.objecttier.S3Server;
import dev.conduit.objecttier.S3ServerOptions;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.tier.TierSettings;
import dev.conduit.objecttier.tier.Tiering;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * The things a running {@code conduit serve} owns, closed in the one safe order: the endpoint
 * first (it stops accepting and drains the requests in flight, which still need the buckets and
 * the audit log), then the tiering layer (its uploaders stop; what they had not uploaded stays
 * journaled), then the audit log (which stores what it has queued), then the bucket layer, then
 * the store and its scheduler (which checkpoints). A failure
 * in one close does not skip the later ones; later failures are added to the first as suppressed.
 */
final class S3Service implements AutoCloseable
{
    private final ScheduledStore store;
    private final BucketStore buckets;
    private final AuditLog audit;
    private final S3Server server;
    private final Tiering tiering;

    private S3Service(final ScheduledStore store, final BucketStore buckets, final AuditLog audit, final S3Server server,
        final Tiering tiering)
    {
        this.store = store;
        this.buckets = buckets;
        this.audit = audit;
        this.server = server;
        this.tiering = tiering;
    }

    /**
     * Starts the endpoint over an open store, taking ownership of the store: it is closed here if
     * the endpoint does not start, else by {@link #close()}.
     *
     * @param store   the open store.
     * @param options how to listen and whom to let in.
     * @param audited whether mutating requests go to the store's audit log.
     * @return the running service.
     */
    static S3Service start(final ScheduledStore store, final S3ServerOptions options, final boolean audited,
        final TierSettings tierSettings)
    {
        BucketStore buckets = null;
        AuditLog audit = null;
        Tiering tiering = null;
        try
        {
            buckets = new BucketStore(store);
            audit = audited ? AuditLog.open(store.store()) : null;
            // Before the endpoint: journaled uploads resume and bound buckets read through from the first request.
            tiering = Tiering.open(buckets, tierSettings);
            final S3Server server = S3Server.start(options, buckets, null, audit);
            server.tiering(tiering);
            return new S3Service(store, buckets, audit, server, tiering);
        }
        catch (final Throwable t)
        {
            // Throwable: Netty rethrows a failed bind's checked IOException without declaring it.
            closeAll(t, tiering, audit, buckets, store);
            throw t;
        }
    }

    /** @return the running endpoint. */
    S3Server server()
    {
        return server;
    }

    @Override
    public void close()
    {
        final Throwable first = closeAll(null, server, tiering, audit, buckets, store);
        if (first instanceof RuntimeException e)
        {
            throw e;
        }
        if (first instanceof Error e)
        {
            throw e;
        }
        if (first != null)
        {
            throw new IllegalStateException("closing conduit serve failed", first);
        }
    }

    private static Throwable closeAll(final Throwable failure, final AutoCloseable... resources)
    {
        Throwable first = failure;
        for (final AutoCloseable resource : resources)
        {
            if (resource == null)
            {
                continue;
            }
            try
            {
                resource.close();
            }
            catch (final Exception | Error e)
            {
                if (first == null)
                {
                    first = e;
                }
                else
                {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }
}
