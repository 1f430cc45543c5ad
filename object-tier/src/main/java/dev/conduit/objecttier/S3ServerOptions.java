package dev.conduit.objecttier;

import java.time.Duration;
import java.util.List;

import dev.conduit.objecttier.auth.Credentials;

/**
 * How an {@link S3Server} listens and whom it lets in.
 *
 * @param bindAddress        address to bind (127.0.0.1 by default: nothing is exposed unless asked).
 * @param port               TCP port; 0 picks a free one.
 * @param region             the region clients sign for ("us-east-1" by default).
 * @param credentials        access keys allowed to sign requests (at least one).
 * @param maxClockSkew       how far a request's signing time may be from the server's clock.
 * @param eventLoopThreads   Netty event-loop threads (0 = Netty's default).
 * @param maxHeaderBytes     largest request header section accepted.
 * @param idleTimeout        a connection idle this long mid-request is closed.
 * @param drainTimeout       how long {@link S3Server#close()} waits for requests in flight.
 * @param maxConnections     open connections beyond this are closed at once.
 * @param readBufferBytes    size of each GET buffer (a multiple of 4096).
 * @param readBufferCount    GET buffers in the pool: the most object bytes in flight to clients is their product.
 * @param bodyHighWaterBytes request body bytes queued per connection before the server stops reading it.
 * @param virtualHostDomains domains under which {@code bucket.<domain>} names a bucket (virtual-host style).
 * @param smallObjectCacheBytes verified bytes of small objects kept in memory for GETs (0 = none; see
 *                           {@code http.SmallObjectCache}).
 */
public record S3ServerOptions(
    String bindAddress,
    int port,
    String region,
    List<Credentials> credentials,
    Duration maxClockSkew,
    int eventLoopThreads,
    int maxHeaderBytes,
    Duration idleTimeout,
    Duration drainTimeout,
    int maxConnections,
    int readBufferBytes,
    int readBufferCount,
    int bodyHighWaterBytes,
    List<String> virtualHostDomains,
    long smallObjectCacheBytes)
{
    /** The default port of {@code conduit serve}. */
    public static final int DEFAULT_PORT = 9400;
    /** Default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /** Default GET buffer size: one checksum chunk. */
    public static final int DEFAULT_READ_BUFFER_BYTES = 1 << 20;
    /** Default GET buffer count (256 MiB in all). */
    public static final int DEFAULT_READ_BUFFER_COUNT = 256;
    /** Default request body bytes queued per connection. */
    public static final int DEFAULT_BODY_HIGH_WATER_BYTES = 1 << 20;
    /** Default size of the small-object cache (key {@code s3.smallObjectCacheBytes}). */
    public static final long DEFAULT_SMALL_OBJECT_CACHE_BYTES = 64L << 20;

    /** Copies the lists and checks the bounds. */
    public S3ServerOptions
    {
        credentials = List.copyOf(credentials);
        virtualHostDomains = List.copyOf(virtualHostDomains);
        if (maxConnections <= 0 || readBufferCount <= 0 || bodyHighWaterBytes <= 0)
        {
            throw new IllegalArgumentException(
                "maxConnections, readBufferCount and bodyHighWaterBytes must be positive");
        }
        if (smallObjectCacheBytes < 0)
        {
            throw new IllegalArgumentException("smallObjectCacheBytes must be >= 0: " + smallObjectCacheBytes);
        }
        if (readBufferBytes <= 0 || readBufferBytes % 4096 != 0)
        {
            throw new IllegalArgumentException("readBufferBytes must be a positive multiple of 4096: "
                + readBufferBytes);
        }
    }

    /**
     * The options of the first version of this record, with defaults for the rest.
     *
     * @param bindAddress      address to bind.
     * @param port             TCP port.
     * @param region           region.
     * @param credentials      access keys.
     * @param maxClockSkew     allowed clock skew.
     * @param eventLoopThreads event-loop threads.
     * @param maxHeaderBytes   largest header section.
     * @param idleTimeout      idle timeout.
     * @param drainTimeout     drain timeout.
     */
    public S3ServerOptions(
        final String bindAddress,
        final int port,
        final String region,
        final List<Credentials> credentials,
        final Duration maxClockSkew,
        final int eventLoopThreads,
        final int maxHeaderBytes,
        final Duration idleTimeout,
        final Duration drainTimeout)
    {
        this(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads, maxHeaderBytes, idleTimeout,
            drainTimeout,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_BUFFER_BYTES, DEFAULT_READ_BUFFER_COUNT,
                DEFAULT_BODY_HIGH_WATER_BYTES, List.of("localhost"), DEFAULT_SMALL_OBJECT_CACHE_BYTES);
    }

    /**
     * The options before the small-object cache, with its default size.
     *
     * @param bindAddress        address to bind.
     * @param port               TCP port.
     * @param region             region.
     * @param credentials        access keys.
     * @param maxClockSkew       allowed clock skew.
     * @param eventLoopThreads   event-loop threads.
     * @param maxHeaderBytes     largest header section.
     * @param idleTimeout        idle timeout.
     * @param drainTimeout       drain timeout.
     * @param maxConnections     connection limit.
     * @param readBufferBytes    size of each GET buffer.
     * @param readBufferCount    GET buffers in the pool.
     * @param bodyHighWaterBytes body bytes queued per connection.
     * @param virtualHostDomains virtual-host domains.
     */
    public S3ServerOptions(
        final String bindAddress,
        final int port,
        final String region,
        final List<Credentials> credentials,
        final Duration maxClockSkew,
        final int eventLoopThreads,
        final int maxHeaderBytes,
        final Duration idleTimeout,
        final Duration drainTimeout,
        final int maxConnections,
        final int readBufferBytes,
        final int readBufferCount,
        final int bodyHighWaterBytes,
        final List<String> virtualHostDomains)
    {
        this(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads, maxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            DEFAULT_SMALL_OBJECT_CACHE_BYTES);
    }

    /**
     * @param credentials the access keys.
     * @return loopback, port {@value #DEFAULT_PORT}, us-east-1, 15 min skew, 16 KiB headers, 60 s idle, 30 s drain,
     *         4096 connections, 256 GET buffers of 1 MiB, 1 MiB of queued body per connection, virtual hosts under
     * localhost.
     */
    public static S3ServerOptions defaults(final List<Credentials> credentials)
    {
        return new S3ServerOptions("127.0.0.1", DEFAULT_PORT, "us-east-1", credentials, Duration.ofMinutes(15), 0,
            16 << 10,
            Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    /**
     * @param newPort the port (0 = any free one).
     * @return these options on another port.
     */
    public S3ServerOptions withPort(final int newPort)
    {
        return new S3ServerOptions(bindAddress, newPort, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param newBindAddress the address to bind.
     * @return these options on another address.
     */
    public S3ServerOptions withBindAddress(final String newBindAddress)
    {
        return new S3ServerOptions(newBindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param newIdleTimeout how long a connection may sit idle mid-request.
     * @return these options with another idle timeout.
     */
    public S3ServerOptions withIdleTimeout(final Duration newIdleTimeout)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, newIdleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param newDrainTimeout how long close() waits for requests in flight.
     * @return these options with another drain timeout.
     */
    public S3ServerOptions withDrainTimeout(final Duration newDrainTimeout)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            newDrainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param newMaxConnections the connection limit.
     * @return these options with another connection limit.
     */
    public S3ServerOptions withMaxConnections(final int newMaxConnections)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            drainTimeout, newMaxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param bufferBytes size of each GET buffer.
     * @param bufferCount how many.
     * @return these options with another GET buffer pool.
     */
    public S3ServerOptions withReadBuffers(final int bufferBytes, final int bufferCount)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, bufferBytes, bufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param newMaxHeaderBytes largest request header section accepted.
     * @return these options with another header limit.
     */
    public S3ServerOptions withMaxHeaderBytes(final int newMaxHeaderBytes)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            newMaxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            smallObjectCacheBytes);
    }

    /**
     * @param cacheBytes verified bytes of small objects kept in memory for GETs (0 = none).
     * @return these options with another small-object cache size.
     */
    public S3ServerOptions withSmallObjectCacheBytes(final long cacheBytes)
    {
        return new S3ServerOptions(bindAddress, port, region, credentials, maxClockSkew, eventLoopThreads,
            maxHeaderBytes, idleTimeout,
            drainTimeout, maxConnections, readBufferBytes, readBufferCount, bodyHighWaterBytes, virtualHostDomains,
            cacheBytes);
    }
}
