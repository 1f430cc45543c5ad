package dev.conduit.objecttier.http;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of every connection: connection limit, idle timer ({@link IdleTimeoutHandler}: no
 * promise per write), HTTP/1.1 codec (request headers in {@link FlatHttpHeaders}) (bounded header
 * section, no aggregation: bodies stream), and the {@link S3Connection}.
 */
public final class S3ChannelInitializer extends ChannelInitializer<SocketChannel>
{
    private static final int MAX_INITIAL_LINE_BYTES = 8192;
    private static final int MAX_CHUNK_BYTES = 64 << 10;

    private final ServerContext server;
    private final ConnectionLimiter limiter;
    private final int maxHeaderBytes;
    private final long idleTimeoutMs;
    private final ThreadFactory requestThreads = Thread.ofVirtual().name("s3-request-", 0).factory();

    /**
     * @param server         what connections share.
     * @param limiter        the server's connection limit.
     * @param maxHeaderBytes the header section bound.
     * @param idleTimeoutMs  idle time after which a connection is timed out.
     */
    public S3ChannelInitializer(final ServerContext server, final ConnectionLimiter limiter, final int maxHeaderBytes,
        final long idleTimeoutMs)
    {
        this.server = server;
        this.limiter = limiter;
        this.maxHeaderBytes = maxHeaderBytes;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    @Override
    protected void initChannel(final SocketChannel channel)
    {
        final ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("limit", limiter);
        pipeline.addLast("idle", new IdleTimeoutHandler(idleTimeoutMs, TimeUnit.MILLISECONDS));
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
            .setMaxHeaderSize(maxHeaderBytes)
            .setMaxChunkSize(MAX_CHUNK_BYTES)
            .setHeadersFactory(FlatHttpHeaders.FACTORY)));
        pipeline.addLast("s3", new S3Connection(server, requestThreads));
    }
}
