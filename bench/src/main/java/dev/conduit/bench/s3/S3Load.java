package dev.conduit.bench.s3;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * What every phase of an S3 run shares: the event loops (one per core, at most one per connection),
 * the connection template, the signer and the one PUT body.
 *
 * <p>Threading: created and closed by the run's thread; phases use it one at a time.
 */
final class S3Load implements AutoCloseable
{
    private final S3BenchConfig config;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final S3Signer signer;
    private final ByteBuf raw;
    private final ByteBuf body;

    S3Load(final S3BenchConfig config)
    {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(
            Math.min(config.concurrency(), Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
        this.signer = new S3Signer(config.target(), config.credentials(), config.objects());
        // The signer's first use loads much of the SDK: done here, not in a measured request.
        signer.headers(S3Op.GET, 0, System.nanoTime());
        this.raw = pattern(config.objectBytes());
        // Every PUT sends a duplicate: its own indices over the same memory, never released by Netty.
        this.body = Unpooled.unreleasableBuffer(raw.asReadOnly());
    }

    S3BenchConfig config()
    {
        return config;
    }

    Bootstrap bootstrap()
    {
        return bootstrap;
    }

    EventLoopGroup group()
    {
        return group;
    }

    S3Signer signer()
    {
        return signer;
    }

    ByteBuf body()
    {
        return body;
    }

    /** Not zeros: a server or disk that compresses or dedups would otherwise look faster than it is. */
    private static ByteBuf pattern(final long bytes)
    {
        final ByteBuf buf = Unpooled.directBuffer((int)bytes, (int)bytes);
        long state = 0x9E3779B97F4A7C15L;
        while (buf.writableBytes() >= Long.BYTES)
        {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            buf.writeLong(state);
        }
        while (buf.isWritable())
        {
            buf.writeByte((int)state);
        }
        return buf;
    }

    @Override
    public void close()
    {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        raw.release();
    }
}
