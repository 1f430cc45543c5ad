package dev.conduit.objecttier.http;

import dev.conduit.blocklayout.ObjectReadHandle;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The body half of a GET on one connection, outside a running server, for benchmarks (module
 * {@code jmh}) that measure the server's own data path rather than a copy of it: the connection's
 * {@link ObjectStreamer} reads each piece of a pinned version through the scheduler (verified) into
 * a {@link ReadBufferPool} buffer and writes the {@link PooledReadBuf} to {@code channel}, exactly
 * as {@link ObjectReads} does once the response head is out. Routing, authentication, conditionals
 * and the response head are not part of it.
 *
 * <pre>{@code
 * final GetDataPath path = new GetDataPath(context, channel);   // channel: releases what it is written
 * try (OpenObject open = buckets.open("b", "k"))
 * {
 *     path.stream(open.handle(), 0, open.object().sizeBytes());
 * }
 * }</pre>
 *
 * <p>Threading: one thread at a time, as a request's thread; the channel's writes must complete
 * (release their buffers) for the next pieces to be read, as on a socket.
 */
public final class GetDataPath
{
    private final Exchange exchange;
    private final ObjectStreamer streamer;

    /**
     * @param server  the server's shared state (buckets, buffer pool, metrics).
     * @param channel where the body pieces are written.
     */
    public GetDataPath(final ServerContext server, final Channel channel)
    {
        final S3Connection connection = new S3Connection(server, Thread.ofVirtual().factory());
        this.exchange = new Exchange(connection, channel, new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"),
            0L, new BodyQueue(1, 1, () -> { }), null);
        this.streamer = connection.streamer();
    }

    /**
     * @param version the pinned version.
     * @param offset  first byte.
     * @param length  bytes to send, at least 1.
     * @return whether the whole range was handed to the channel.
     * @throws InterruptedException when the thread is interrupted.
     */
    public boolean stream(final ObjectReadHandle version, final long offset, final long length) throws InterruptedException
    {
        return streamer.stream(exchange, version, offset, length);
    }
}
