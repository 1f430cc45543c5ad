package dev.conduit.objecttier;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.auth.SigV4Verifier;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.LifecycleSweeper;
import dev.conduit.objecttier.http.AccessLog;
import dev.conduit.objecttier.http.AccessLogWriter;
import dev.conduit.objecttier.http.ConnectionLimiter;
import dev.conduit.objecttier.http.ReadBufferPool;
import dev.conduit.objecttier.http.Router;
import dev.conduit.objecttier.http.S3ChannelInitializer;
import dev.conduit.objecttier.http.S3Service;
import dev.conduit.objecttier.http.ServerContext;
import dev.conduit.objecttier.http.SmallObjectCache;
import dev.conduit.objecttier.metrics.S3Metrics;
import dev.conduit.objecttier.tier.Tiering;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The S3 endpoint: Netty, HTTP/1.1 keep-alive, SigV4, over a {@link BucketStore}.
 *
 * <pre>{@code
 * try (S3Server server = S3Server.start(S3ServerOptions.defaults(keys).withPort(0), buckets))
 * {
 *     System.out.println(server.endpoint());   // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>Threads: one acceptor and {@code eventLoopThreads} event loops (epoll where available, NIO
 * otherwise) decode and encode HTTP; every request's S3 work runs on a virtual thread of its own;
 * one daemon thread ({@link LifecycleSweeper}) applies bucket lifecycle rules once an hour.
 * Resources: the event loops, the connections, and the GET buffer pool (one native allocation of
 * {@code readBufferBytes * readBufferCount}). {@code GET /_conduit/metrics} and
 * {@code GET /_conduit/health} are served without authentication (no bucket can be named
 * {@code _conduit}).
 */
public final class S3Server implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("conduit.s3");
    private static final long POOL_RETURN_WAIT_MS = 2_000;
    private static final long LIFECYCLE_INTERVAL_MS = TimeUnit.HOURS.toMillis(1);

    private final S3ServerOptions options;
    private final ServerContext context;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AccessLogWriter ownLogWriter;
    /** Applies bucket lifecycle rules (noncurrent version expiration) once an hour. */
    private final LifecycleSweeper lifecycle;

    private S3Server(
        final S3ServerOptions options,
        final ServerContext context,
        final EventLoopGroup acceptor,
        final EventLoopGroup workers,
        final ChannelGroup connections,
        final Channel serverChannel,
        final AccessLogWriter ownLogWriter)
    {
        this.ownLogWriter = ownLogWriter;
        this.options = options;
        this.context = context;
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.serverChannel = serverChannel;
        this.address = (InetSocketAddress)serverChannel.localAddress();
        this.lifecycle = new LifecycleSweeper(context.buckets(), System::currentTimeMillis).start(LIFECYCLE_INTERVAL_MS);
    }

    /**
     * Binds and starts serving, with the access log's JSON lines on standard error (written by a
     * thread of their own; see {@link AccessLogWriter}).
     *
     * @param options how to listen and whom to let in.
     * @param buckets the buckets to serve (not closed by the server).
     * @return the running server.
     */
    public static S3Server start(final S3ServerOptions options, final BucketStore buckets)
    {
        return start(options, buckets, null);
    }

    /**
     * Binds and starts serving.
     *
     * @param options       how to listen and whom to let in.
     * @param buckets       the buckets to serve (not closed by the server).
     * @param accessLogSink where the access log's JSON lines go (called on event loops, must not
     *                      block), or null for standard error through an {@link AccessLogWriter}
     *                      the server owns and closes.
     * @return the running server.
     */
    public static S3Server start(final S3ServerOptions options, final BucketStore buckets,
        final Consumer<String> accessLogSink)
    {
        return start(options, buckets, accessLogSink, null);
    }

    /**
     * Binds and starts serving, recording every mutating request in an audit log.
     *
     * @param options       how to listen and whom to let in.
     * @param buckets       the buckets to serve (not closed by the server).
     * @param accessLogSink as in {@link #start(S3ServerOptions, BucketStore, Consumer)}.
     * @param audit         where mutating requests are recorded before they are answered, or null for
     *                      no audit (not closed by the server: close it after the server, before the
     *                      store).
     * @return the running server.
     */
    public static S3Server start(final S3ServerOptions options, final BucketStore buckets,
        final Consumer<String> accessLogSink, final AuditLog audit)
    {
        final ReadBufferPool pool = new ReadBufferPool(options.readBufferBytes(), options.readBufferCount());
        final AccessLogWriter ownLogWriter = accessLogSink == null
            ? new AccessLogWriter(System.err, AccessLogWriter.DEFAULT_CAPACITY) : null;
        final AccessLog accessLog = new AccessLog(ownLogWriter != null ? ownLogWriter : accessLogSink);
        final ServerContext context = new ServerContext(buckets, pool, accessLog, options.bodyHighWaterBytes());
        context.metrics().scheduler(buckets.store().scheduler());
        context.audit(audit);
        context.smallObjects(new SmallObjectCache(options.smallObjectCacheBytes()));
        final SigV4Verifier verifier = new SigV4Verifier(options.credentials(), options.region(), Clock.systemUTC(),
            options.maxClockSkew());
        context.handler(new S3Service(context, new Router(options.virtualHostDomains()), verifier, options.region()));

        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class
            : NioServerSocketChannel.class;
        final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, io);
        final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.eventLoopThreads(), io);
        final ChannelGroup connections = new DefaultChannelGroup("s3-connections", GlobalEventExecutor.INSTANCE);
        final ConnectionLimiter limiter = new ConnectionLimiter(options.maxConnections(), context.metrics(),
            connections);
        try
        {
            final Channel channel = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Reading stays on while a request is answered (S3Connection): a client's half-close then
                // arrives early, and must not close the connection before the answer is written.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10,
                    options.readBufferBytes()))
                .childHandler(new S3ChannelInitializer(context, limiter, options.maxHeaderBytes(),
                    options.idleTimeout().toMillis()))
                .bind(options.bindAddress(), options.port())
                .syncUninterruptibly()
                .channel();
            final S3Server server = new S3Server(options, context, acceptor, workers, connections, channel, ownLogWriter);
            LOG.log(System.Logger.Level.INFO, "S3 server listening on " + server.endpoint() + " (" + (epoll ? "epoll"
                : "nio") + ")");
            return server;
        }
        catch (final Exception e)
        {
            // Exception, not RuntimeException: Netty rethrows a failed bind as its checked (undeclared) IOException.
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            pool.tryClose();
            if (ownLogWriter != null)
            {
                ownLogWriter.close();
            }
            throw bindFailure(options, e);
        }
    }

    private static RuntimeException bindFailure(final S3ServerOptions options, final Exception failure)
    {
        final String where = options.bindAddress() + ":" + options.port();
        if (failure instanceof BindException || String.valueOf(failure.getMessage()).contains("Address already in use"))
        {
            return new ConduitException(ErrorCode.ADDRESS_IN_USE, "cannot listen on " + where + ": the address is in use", failure);
        }
        if (failure instanceof RuntimeException runtime)
        {
            return runtime;
        }
        return new ConduitException(ErrorCode.SYSTEM_ERROR, "cannot listen on " + where + ": " + failure.getMessage(), failure);
    }

    /** @return the bound address (the real port when 0 was asked for). */
    public InetSocketAddress address()
    {
        return address;
    }

    /** @return {@code http://host:port}. */
    public String endpoint()
    {
        final String host = address.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * Puts the buckets' cold tiers behind this server's GET/HEAD/PUT (the caller keeps and closes it).
     *
     * @param tiering the tiering layer over the same buckets.
     */
    public void tiering(final Tiering tiering)
    {
        context.tiering(tiering);
    }

    /** @return the server's metrics (what {@code /_conduit/metrics} renders). */
    public S3Metrics metrics()
    {
        return context.metrics();
    }

    /** @return the GET buffer pool (its free count shows buffers held by connections). */
    public ReadBufferPool readBuffers()
    {
        return context.readBuffers();
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to the drain timeout), then
     * closes every connection and the event loops. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        lifecycle.close();
        serverChannel.close().syncUninterruptibly();
        final long drainDeadlineNs = System.nanoTime() + options.drainTimeout().toNanos();
        while (context.metrics().inFlightRequests() > 0 && System.nanoTime() - drainDeadlineNs < 0)
        {
            sleepMs(10);
        }
        connections.close().awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        // Request threads that were mid-read give their buffers back once their reads complete.
        final long poolDeadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POOL_RETURN_WAIT_MS);
        while (!context.readBuffers().tryClose() && System.nanoTime() - poolDeadlineNs < 0)
        {
            sleepMs(10);
        }
        if (ownLogWriter != null)
        {
            ownLogWriter.close();
        }
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
