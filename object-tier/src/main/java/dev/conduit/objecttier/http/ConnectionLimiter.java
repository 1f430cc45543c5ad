package dev.conduit.objecttier.http;

import dev.conduit.objecttier.metrics.S3Metrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;

/**
 * First handler of every connection: counts it, closes it at once when the server already holds
 * its limit, and keeps it in the group the server closes at shutdown.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter
{
    private final int maxConnections;
    private final S3Metrics metrics;
    private final ChannelGroup connections;

    /**
     * @param maxConnections connections allowed at once.
     * @param metrics        counts them.
     * @param connections    the server's open connections.
     */
    public ConnectionLimiter(final int maxConnections, final S3Metrics metrics, final ChannelGroup connections)
    {
        this.maxConnections = maxConnections;
        this.metrics = metrics;
        this.connections = connections;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (metrics.connectionOpened() > maxConnections)
        {
            metrics.connectionRejected();
            ctx.close();
            return;
        }
        connections.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        metrics.connectionClosed();
        ctx.fireChannelInactive();
    }
}
