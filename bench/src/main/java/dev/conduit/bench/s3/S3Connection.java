package dev.conduit.bench.s3;

import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive HTTP/1.1 connection with at most one request in flight: when a response ends the
 * next request goes out from the same event-loop thread (closed loop), or at its scheduled time
 * (open loop, latency then counted from that time). A connection the server closes, or that fails,
 * is opened again until the phase stops.
 *
 * <p>GET bodies are counted and released as they arrive, in Netty's (direct) read buffers; they are
 * never copied or aggregated. PUT bodies are duplicates of one shared read-only buffer.
 *
 * <p>Threading: everything but the {@code AtomicLong} counters (read for progress) runs on the
 * connection's event loop; the rest is read by the phase's thread after the connection has counted
 * down {@link S3Phase#done}. It is {@code @Sharable} only because each reopened connection gets the same
 * handler: it is never in two pipelines at once.
 */
@ChannelHandler.Sharable
final class S3Connection extends ChannelInboundHandlerAdapter
{
    private static final long RECONNECT_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Response parts up to this size stay whole (a large GET arrives in fewer, bigger slices of the read buffer). */
    private static final int MAX_CHUNK_BYTES = 1 << 20;

    private final S3Phase phase;
    private final EventLoop loop;
    private final SplittableRandom rng;
    private final long intervalNs;
    private Channel channel;
    private S3Op op;
    private long startNs;
    private long nextScheduledNs;
    private long bodyBytes;
    private int status;
    private boolean keepAlive;
    private boolean inFlight;
    private boolean finished;
    private boolean reportedConnected;
    private boolean scheduleStarted;
    final AtomicLong okBytes = new AtomicLong();
    final AtomicLong okRequests = new AtomicLong();
    long gets;
    long puts;
    long getBytes;
    long putBytes;
    final TreeMap<String, Long> errors = new TreeMap<>();
    String firstFailure;
    long finishedNs;

    S3Connection(final S3Phase phase, final EventLoop loop, final long seed, final long intervalNs)
    {
        this.phase = phase;
        this.loop = loop;
        this.rng = new SplittableRandom(seed);
        this.intervalNs = intervalNs;
    }

    /** From any thread: opens the connection; requests start with {@link #go()}. */
    void start()
    {
        loop.execute(this::connect);
    }

    /** From any thread: drops the connection (its request in flight, if any, counts as an error). */
    void abort()
    {
        loop.execute(() ->
        {
            if (channel != null)
            {
                channel.close();
            }
            else
            {
                finish();
            }
        });
    }

    private void connect()
    {
        if (finished)
        {
            return; // dropped while waiting to reconnect
        }
        final S3Connection handler = this;
        final Bootstrap bootstrap = phase.bootstrap().clone(loop).handler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel ch)
            {
                ch.pipeline().addLast(new HttpClientCodec(4096, 16384, MAX_CHUNK_BYTES), handler);
            }
        });
        final ChannelFuture connecting = bootstrap.connect(phase.target().endpoint().getHost(), phase.target().port());
        connecting.addListener((ChannelFutureListener)f ->
        {
            if (!f.isSuccess())
            {
                reportConnected();
                fail("connect", f.cause());
                if (phase.retryConnects)
                {
                    retryLater();
                }
                else
                {
                    // Setup and cleanup end rather than retry forever; the requests left show in their count.
                    finish();
                }
            }
        });
    }

    private void retryLater()
    {
        if (phase.stopping)
        {
            finish();
        }
        else
        {
            loop.schedule(this::connect, RECONNECT_DELAY_NS, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        reportConnected();
        if (phase.going)
        {
            issueNext();
        }
    }

    /** Once, on the first connect's outcome: the phase starts its clock when every connection has one. */
    private void reportConnected()
    {
        if (!reportedConnected)
        {
            reportedConnected = true;
            phase.connected.countDown();
        }
    }

    /** From any thread, once {@link S3Phase#going} is set: sends the first request if the connection is up. */
    void go()
    {
        loop.execute(() ->
        {
            if (channel != null && channel.isActive() && !inFlight && !finished)
            {
                issueNext();
            }
        });
    }

    private void issueNext()
    {
        if (phase.stopping)
        {
            finish();
            return;
        }
        if (intervalNs > 0)
        {
            if (!scheduleStarted)
            {
                // Open loop: the schedule starts with the first request, not when the connection was opened.
                scheduleStarted = true;
                nextScheduledNs = System.nanoTime();
            }
            final long scheduledNs = nextScheduledNs;
            nextScheduledNs = scheduledNs + intervalNs;
            final long waitNs = scheduledNs - System.nanoTime();
            if (waitNs > 0)
            {
                loop.schedule(() -> send(scheduledNs), waitNs, TimeUnit.NANOSECONDS);
                return;
            }
            // Behind schedule: sent now, but its latency still counts from when it should have started.
            send(scheduledNs);
            return;
        }
        send(System.nanoTime());
    }

    private void send(final long fromNs)
    {
        if (phase.stopping)
        {
            finish();
            return;
        }
        if (channel == null || !channel.isActive())
        {
            return; // channelInactive opens it again and issues from there
        }
        final long next = phase.plan().next(rng);
        if (next == S3Plan.DONE)
        {
            finish();
            return;
        }
        op = S3Plan.op(next);
        final S3Signer.Signed signed = phase.signer().headers(op, S3Plan.index(next), System.nanoTime());
        final ByteBuf body = op == S3Op.PUT ? phase.body().duplicate() : Unpooled.EMPTY_BUFFER;
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
            HttpMethod.valueOf(op.method().name()), signed.path(), body);
        for (int i = 0; i < signed.names().length; i++)
        {
            request.headers().add(signed.names()[i], signed.values()[i]);
        }
        if (op == S3Op.PUT || op == S3Op.CREATE_BUCKET)
        {
            HttpUtil.setContentLength(request, body.readableBytes());
        }
        request.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
        status = 0;
        bodyBytes = 0;
        keepAlive = true;
        inFlight = true;
        startNs = fromNs;
        channel.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof HttpResponse response)
            {
                status = response.status().code();
                keepAlive = HttpUtil.isKeepAlive(response);
            }
            if (msg instanceof HttpContent content)
            {
                bodyBytes += content.content().readableBytes();
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
        if (msg instanceof LastHttpContent && inFlight)
        {
            complete();
        }
    }

    private void complete()
    {
        final long endNs = System.nanoTime();
        inFlight = false;
        final boolean ok = status / 100 == 2 || (op == S3Op.CREATE_BUCKET && status == 409);
        final long objectBytes = phase.objectBytes();
        if (ok && op == S3Op.GET && bodyBytes != objectBytes)
        {
            // The object is not the size the run is about (e.g. left by another run): wrong, not fast.
            fail("size", null);
        }
        else if (ok)
        {
            if (phase.measuring)
            {
                phase.record(endNs - startNs);
                final long moved = op == S3Op.GET || op == S3Op.PUT ? objectBytes : 0;
                okBytes.lazySet(okBytes.get() + moved);
                okRequests.lazySet(okRequests.get() + 1);
                if (op == S3Op.GET)
                {
                    gets++;
                    getBytes += moved;
                }
                else if (op == S3Op.PUT)
                {
                    puts++;
                    putBytes += moved;
                }
            }
        }
        else
        {
            fail(Integer.toString(status), null);
        }
        if (keepAlive)
        {
            issueNext();
        }
        else
        {
            channel.close(); // channelInactive opens a new one
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        channel = null;
        if (inFlight)
        {
            inFlight = false;
            fail("io", null);
        }
        if (!finished)
        {
            retryLater();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (firstFailure == null)
        {
            firstFailure = cause.toString();
        }
        ctx.close();
    }

    private void fail(final String what, final Throwable cause)
    {
        if (phase.measuring)
        {
            errors.merge(what, 1L, Long::sum);
        }
        if (firstFailure == null && cause != null)
        {
            firstFailure = cause.toString();
        }
    }

    private void finish()
    {
        if (!finished)
        {
            finished = true;
            finishedNs = System.nanoTime();
            if (channel != null)
            {
                channel.close();
            }
            phase.done.countDown();
        }
    }
}
