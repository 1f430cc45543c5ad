package dev.conduit.objecttier.http;

import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.metrics.PrometheusText;
import dev.conduit.objecttier.metrics.S3Metrics;
import dev.conduit.objecttier.tier.TierWrite;
import dev.conduit.objecttier.tier.Tiering;

/**
 * What every connection of one server shares: the buckets, the request handler, the GET buffer
 * pool, metrics and the access log. Created by {@code S3Server.start}, closed after its event loops.
 */
public final class ServerContext
{
    private static final System.Logger LOG = System.getLogger("conduit.s3");

    private final BucketStore buckets;
    private final S3Metrics metrics;
    private final ReadBufferPool readBuffers;
    private final AccessLog accessLog;
    private final long bodyHighWaterBytes;
    private RequestHandler handler;
    private RequestAudit audit = RequestAudit.OFF;
    private volatile Tiering tiering;
    private SmallObjectCache smallObjects = new SmallObjectCache(0);

    /**
     * @param buckets            the buckets served.
     * @param readBuffers        the GET buffer pool.
     * @param accessLog          where access lines go.
     * @param bodyHighWaterBytes request body bytes queued per connection before reading pauses.
     */
    public ServerContext(final BucketStore buckets, final ReadBufferPool readBuffers, final AccessLog accessLog,
        final long bodyHighWaterBytes)
    {
        this.buckets = buckets;
        this.metrics = new S3Metrics(Operation.names());
        this.readBuffers = readBuffers;
        this.accessLog = accessLog;
        this.bodyHighWaterBytes = bodyHighWaterBytes;
    }

    /**
     * @param requestHandler does each request's work.
     */
    public void handler(final RequestHandler requestHandler)
    {
        this.handler = requestHandler;
    }

    /**
     * @param log where mutating requests are recorded before they are answered (null: nowhere).
     */
    public void audit(final AuditLog log)
    {
        this.audit = log == null ? RequestAudit.OFF : new RequestAudit(log);
    }

    RequestAudit audit()
    {
        return audit;
    }

    RequestHandler handler()
    {
        return handler;
    }

    /**
     * @param layer the tiering layer (cold tiers of bound buckets), or null for none.
     */
    public void tiering(final Tiering layer)
    {
        this.tiering = layer;
    }

    /**
     * @param cache the small-object cache GETs use (set before serving; none by default).
     */
    public void smallObjects(final SmallObjectCache cache)
    {
        this.smallObjects = cache;
    }

    SmallObjectCache smallObjects()
    {
        return smallObjects;
    }

    /** @return the small-object cache's Prometheus text. */
    String smallObjectScrape()
    {
        final StringBuilder out = new StringBuilder();
        smallObjects.render(new PrometheusText(out));
        return out.toString();
    }

    /** @return the tiering layer, or null. */
    public Tiering tiering()
    {
        return tiering;
    }

    /**
     * Starts a DeleteObject's tier bookkeeping (the key's tier lock held exclusively; the cold delete
     * journaled for write-back buckets by {@link TierWrite#deleted}).
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @return what to close after the DELETE.
     */
    TierWrite beginTierDelete(final String bucket, final String key)
    {
        final Tiering layer = tiering;
        return layer == null ? TierWrite.NONE : layer.beginDelete(bucket, key);
    }

    /**
     * Starts a PUT's tier bookkeeping (write-back back-pressure and journal, eviction lock).
     *
     * @param bucket the bucket.
     * @param key    the key.
     * @return what to close after the PUT.
     */
    TierWrite beginTierWrite(final String bucket, final String key)
    {
        final Tiering layer = tiering;
        if (layer == null)
        {
            return TierWrite.NONE;
        }
        try
        {
            return layer.beginWrite(bucket, key);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3Error.SlowDown, "interrupted while waiting for write-back room", bucket + "/" + key, e);
        }
        catch (final ConduitException e)
        {
            throw new S3Exception(S3Error.SlowDown, "The write-back backlog to the cold tier is full; retry later.", bucket + "/" + key, e);
        }
    }

    /** @return the tiering layer's Prometheus text, "" without one. */
    String tierScrape()
    {
        final Tiering layer = tiering;
        if (layer == null)
        {
            return "";
        }
        final StringBuilder out = new StringBuilder();
        layer.render(new PrometheusText(out));
        return out.toString();
    }

    /** @return the buckets served. */
    public BucketStore buckets()
    {
        return buckets;
    }

    /** @return the server's metrics. */
    public S3Metrics metrics()
    {
        return metrics;
    }

    /** @return the GET buffer pool. */
    public ReadBufferPool readBuffers()
    {
        return readBuffers;
    }

    long bodyHighWaterBytes()
    {
        return bodyHighWaterBytes;
    }

    System.Logger log()
    {
        return LOG;
    }

    /**
     * Event loop: the exchange is over; count it and log it.
     *
     * @param exchange the finished request.
     */
    void requestDone(final Exchange exchange)
    {
        final long durationUs = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - exchange.startNs());
        final S3Request request = exchange.request();
        final Operation operation = request == null ? Operation.BadRequest : request.operation();
        metrics.record(operation.ordinal(), exchange.status(), exchange.bytesIn(), exchange.bytesOut(), durationUs);
        if (exchange.error() != null)
        {
            metrics.error(exchange.error());
        }
        metrics.requestFinished();
        accessLog.record(exchange, durationUs);
    }
}
