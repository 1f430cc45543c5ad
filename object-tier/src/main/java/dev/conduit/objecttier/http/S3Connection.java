package dev.conduit.objecttier.http;

import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.ReadSlot;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One client connection: takes decoded requests one at a time, starts each on a virtual thread as
 * an {@link Exchange} (one with a small declared body once that body is queued whole), streams its
 * body into the exchange's {@link BodyQueue}, and starts the next request only when the previous
 * response has been written. Reading from the socket stops while the body queue is over its
 * high-water mark (back-pressure on uploads) and once a pipelining client's next message has been
 * decoded while a complete request is being answered (the few messages already decoded wait in
 * {@code parked}, the rest in the socket). It does not stop for every answer: turning reading off
 * and on again costs two {@code epoll_ctl} calls per request, which a client that waits for its
 * answer never needed. A client's half-close seen while answering closes the connection only once
 * what it sent has been answered.
 *
 * <p>Threading: every method runs on the channel's event loop, except {@link #resumeReading},
 * which hops onto it, and {@link #remote}, which any thread may call.
 */
final class S3Connection extends ChannelInboundHandlerAdapter
{
    /** Undelivered body bytes after an early response that are still read and dropped to keep the connection. */
    private static final long DRAIN_LIMIT_BYTES = 1 << 20;
    /**
     * A body of at most this many bytes (declared, no 100-continue) is queued whole before its
     * request's thread starts: the thread then never parks waiting for it, and the event loop never
     * has to wake it (one hand-off per small PUT instead of two or three).
     */
    private static final long SMALL_BODY_BYTES = 64 * 1024;

    private final ServerContext server;
    private final ThreadFactory threads;
    private final ArrayDeque<Object> parked = new ArrayDeque<>();
    /** GET buffers this connection may hold at once: one being written, one being read. */
    private final Semaphore readBuffers = new Semaphore(2);
    private final Runnable resumeTask = this::onResume;
    /** Made once: every exchange's body queue is given it. */
    private final Runnable resumeReadingTask = this::resumeReading;
    private ChannelHandlerContext ctx;
    private ObjectStreamer streamer;
    private InlineGet inlineGet;
    private ReadSlot readSlot;
    /** The body queue every request on this connection uses in turn. */
    private BodyQueue body;
    private final RequestIds.HeaderText headerText = new RequestIds.HeaderText();
    /** Response headers each request on this connection fills in turn (see {@link #responseHeaders()}). */
    private final FlatHttpHeaders responseHeaders = new FlatHttpHeaders();
    /** An exchange answered inline, to finish when its request's last content arrives. */
    private Exchange finishing;
    /** The last path routed on this connection and what it named (one request at a time uses it). */
    private final Router.Memo routeMemo = new Router.Memo();
    /** Where a request thread waits for the channel to drain; per connection, as one request runs at a time. */
    private final ReentrantLock writability = new ReentrantLock();
    private final Condition writableOrClosed = writability.newCondition();
    private String remote;
    private Exchange current;
    /** A small-body request whose thread starts when its body is complete (or can never be). */
    private Exchange deferred;
    private boolean bodyComplete;
    private boolean draining;
    private boolean bodyPaused;
    /** The client half-closed while a complete request was answered: close once nothing is left to answer. */
    private boolean inputShut;

    /**
     * @param server  what every connection shares.
     * @param threads makes each request's thread.
     */
    S3Connection(final ServerContext server, final ThreadFactory threads)
    {
        this.server = server;
        this.threads = threads;
    }

    /** @return where this server's mutating requests are audited. */
    RequestAudit audit()
    {
        return server.audit();
    }

    /** @return the permits bounding this connection's GET buffers. */
    Semaphore readBuffers()
    {
        return readBuffers;
    }

    /**
     * Any thread: the peer's address as text, made once per connection rather than per request.
     *
     * @param channel this connection's channel.
     * @return the remote address.
     */
    String remote(final Channel channel)
    {
        String text = remote;
        if (text == null)
        {
            text = String.valueOf(channel.remoteAddress());
            remote = text;
        }
        return text;
    }

    /**
     * @param requestId the id of the request starting on this connection.
     * @return this connection's request-id header text, now saying {@code requestId}.
     */
    RequestIds.HeaderText headerText(final long requestId)
    {
        headerText.set(requestId);
        return headerText;
    }

    /**
     * @return this connection's response headers, emptied: its requests run one at a time, and the
     *         next starts only once the previous response's last write has completed, long after its
     *         head was encoded.
     */
    HttpHeaders responseHeaders()
    {
        return responseHeaders.clear();
    }

    /**
     * Event loop: finishes {@code exchange} once its request's (empty) last content has arrived,
     * which the decoder emits right after the head: finished earlier, the connection would take the
     * body as unread. Finished there rather than in a task queued now, the exchange usually ends
     * within the read that brought it (its response already written), so reading never pauses
     * between requests (no epoll change to stop and restart it).
     *
     * @param exchange this connection's current exchange, answered.
     */
    void finishAfterRequest(final Exchange exchange)
    {
        finishing = exchange;
    }

    private void finishAnswered()
    {
        final Exchange exchange = finishing;
        finishing = null;
        exchange.finish();
    }

    /** @return this connection's last routed path, for the router to reuse. */
    Router.Memo routeMemo()
    {
        return routeMemo;
    }

    /**
     * Request thread: waits until the channel can take more bytes without queueing beyond its
     * high-water mark.
     *
     * @param channel this connection's channel.
     * @return false when the connection is gone.
     */
    boolean awaitWritable(final Channel channel)
    {
        writability.lock();
        try
        {
            while (!channel.isWritable() && channel.isActive())
            {
                // Bounded wait: a missed signal costs at most this long, never a hang.
                writableOrClosed.await(100, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        finally
        {
            writability.unlock();
        }
        return channel.isActive();
    }

    /** Any thread: wakes a request thread waiting in {@link #awaitWritable()} (writability changed, or the connection closed). */
    void signalWritability()
    {
        writability.lock();
        try
        {
            writableOrClosed.signalAll();
        }
        finally
        {
            writability.unlock();
        }
    }

    /** @return this connection's GET streamer (one request at a time uses it). */
    ObjectStreamer streamer()
    {
        if (streamer == null)
        {
            streamer = new ObjectStreamer(server, server.buckets().store().reader());
        }
        return streamer;
    }

    /** @return what this connection's GETs reuse from one open to the next (one request at a time uses it). */
    ReadSlot readSlot()
    {
        if (readSlot == null)
        {
            readSlot = new ReadSlot();
        }
        return readSlot;
    }

    /** @return this connection's thread-less small GET (event loop only; one request at a time uses it). */
    InlineGet inlineGet()
    {
        if (inlineGet == null)
        {
            inlineGet = new InlineGet(server, server.buckets().store().reader(), ctx.channel().eventLoop());
        }
        return inlineGet;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext context)
    {
        this.ctx = context;
    }

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object msg)
    {
        if (answering())
        {
            parked.addLast(msg);
            updateAutoRead();
            return;
        }
        onMessage(msg);
        updateAutoRead();
    }

    private void onMessage(final Object msg)
    {
        if (msg instanceof HttpRequest head)
        {
            if (current != null)
            {
                // A new head while the previous body is still expected cannot happen with a sane decoder.
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            startExchange(head);
        }
        if (msg instanceof HttpContent content)
        {
            onContent(content);
        }
    }

    private void startExchange(final HttpRequest head)
    {
        // One queue per connection, made new for each request: the previous request has ended (current was null).
        if (body == null)
        {
            body = new BodyQueue(server.bodyHighWaterBytes(), server.bodyHighWaterBytes() / 4, resumeReadingTask);
        }
        else
        {
            body.reset();
        }
        final Exchange exchange = new Exchange(this, ctx.channel(), head, RequestIds.nextValue(), body, server.handler());
        current = exchange;
        bodyComplete = false;
        draining = false;
        server.metrics().requestStarted();
        if (head.decoderResult().isFailure())
        {
            exchange.closeAfterResponse();
        }
        else if (server.handler().tryInline(exchange))
        {
            return;
        }
        else if (smallBody(head))
        {
            deferred = exchange;
            return;
        }
        threads.newThread(exchange).start();
    }

    private boolean smallBody(final HttpRequest head)
    {
        final long declared = HttpUtil.getContentLength(head, -1L);
        return declared > 0 && declared <= Math.min(SMALL_BODY_BYTES, server.bodyHighWaterBytes())
            && !HttpUtil.is100ContinueExpected(head);
    }

    /** Starts the deferred request's thread, if one waits: its body is complete, failed or will never come. */
    private void startDeferred()
    {
        final Exchange exchange = deferred;
        if (exchange != null)
        {
            deferred = null;
            threads.newThread(exchange).start();
        }
    }

    private void onContent(final HttpContent content)
    {
        final Exchange exchange = current;
        if (exchange == null || bodyComplete)
        {
            content.release();
            return;
        }
        final boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure())
        {
            content.release();
            exchange.closeAfterResponse();
            exchange.body().fail(new S3Exception(S3Error.IncompleteBody, "The request body could not be decoded", ""));
            bodyComplete = true;
            startDeferred();
            return;
        }
        exchange.addBytesIn(content.content().readableBytes());
        if (draining)
        {
            content.release();
        }
        else if (exchange.body().offer(content.content()))
        {
            bodyPaused = true;
        }
        if (last)
        {
            bodyComplete = true;
            exchange.body().end();
            startDeferred();
            if (draining)
            {
                startNext();
            }
            else if (finishing == exchange)
            {
                finishAnswered();
            }
        }
    }

    /** Any thread: the body queue drained below its low-water mark. */
    private void resumeReading()
    {
        ctx.channel().eventLoop().execute(resumeTask);
    }

    private void onResume()
    {
        bodyPaused = false;
        updateAutoRead();
    }

    private boolean answering()
    {
        return current != null && bodyComplete && !draining;
    }

    private void updateAutoRead()
    {
        final boolean read = !bodyPaused && !(answering() && !parked.isEmpty());
        if (ctx.channel().config().isAutoRead() != read)
        {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /**
     * The exchange's thread is done and its last write has completed (or failed).
     *
     * @param exchange the finished exchange.
     */
    void onExchangeDone(final Exchange exchange)
    {
        server.requestDone(exchange);
        if (current != exchange)
        {
            return;
        }
        bodyPaused = false;
        if (!ctx.channel().isActive())
        {
            current = null;
            releaseParked();
            return;
        }
        if (exchange.mustClose())
        {
            ctx.close();
            return;
        }
        if (!bodyComplete)
        {
            final long declared = HttpUtil.getContentLength(exchange.head(), -1L);
            if (declared >= 0 && declared - exchange.bytesIn() <= DRAIN_LIMIT_BYTES)
            {
                draining = true;
                updateAutoRead();
            }
            else
            {
                ctx.close();
            }
            return;
        }
        startNext();
    }

    private void startNext()
    {
        current = null;
        draining = false;
        while (!parked.isEmpty() && (current == null || !bodyComplete))
        {
            onMessage(parked.pollFirst());
        }
        if (inputShut && !answering())
        {
            // Nothing more will come: the request the client sent before its half-close has been answered.
            ctx.close();
            return;
        }
        updateAutoRead();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context)
    {
        final Exchange exchange = current;
        if (exchange != null)
        {
            exchange.writabilityChanged();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext context, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent)
        {
            // While answering, the half-close waits for the answer; otherwise it ends the connection as
            // a full close would, so a request cut short fails as before.
            if (answering())
            {
                inputShut = true;
            }
            else
            {
                context.close();
            }
            return;
        }
        if (evt instanceof IdleStateEvent)
        {
            final Exchange exchange = current;
            if (exchange == null)
            {
                context.close();
            }
            else if (!bodyComplete && !exchange.responseStarted())
            {
                // Mid-request: the exchange's thread answers RequestTimeout, then the connection closes.
                exchange.closeAfterResponse();
                exchange.body().fail(S3Exception.of(S3Error.RequestTimeout, ""));
                startDeferred();
            }
            else
            {
                context.close();
            }
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context)
    {
        final Exchange exchange = current;
        if (exchange != null)
        {
            exchange.connectionLost();
        }
        // Its thread still runs, to see the body fail and end the request as any other does.
        startDeferred();
        if (finishing != null)
        {
            finishAnswered();
        }
        releaseParked();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        // Socket errors (reset by peer) end the connection; the exchange, if any, learns it in channelInactive.
        server.log().log(System.Logger.Level.DEBUG, "connection " + context.channel().remoteAddress() + " failed: "
            + cause);
        context.close();
    }

    private void releaseParked()
    {
        Object msg;
        while ((msg = parked.pollFirst()) != null)
        {
            ReferenceCountUtil.release(msg);
        }
    }
}
