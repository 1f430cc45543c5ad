package dev.conduit.objecttier.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.audit.AuditLog;
import dev.conduit.objecttier.auth.AuthResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * One request and its response. The event loop creates it when the request head arrives and feeds
 * its {@link BodyQueue}; the request's virtual thread ({@link #run()}) does the S3 work and writes
 * the response through the methods here, which hand buffers to Netty (thread-safe writes that the
 * event loop performs in order). When the thread is done the connection learns it once, on its
 * event loop, after the last write has completed or failed.
 *
 * <p>Threading: the response methods, {@link #awaitWritable()} and the statistics setters are for
 * the request thread; {@link #writabilityChanged()} and {@link #connectionLost()} for any thread.
 */
public final class Exchange implements Runnable
{
    private static final VarHandle ENDS_PENDING;
    private static final AsciiString REQUEST_ID = AsciiString.cached("x-amz-request-id");
    private static final AsciiString ID_2 = AsciiString.cached("x-amz-id-2");
    private static final AsciiString SERVER_NAME = AsciiString.cached("Conduit");

    static
    {
        try
        {
            ENDS_PENDING = MethodHandles.lookup().findVarHandle(Exchange.class, "endsPending", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final S3Connection connection;
    private final Channel channel;
    private final HttpRequest head;
    private final long requestIdValue;
    private final RequestIds.HeaderText ids;
    private String requestId;
    private final long startNs;
    private final BodyQueue body;
    private final RequestHandler handler;
    private final boolean keepAliveRequested;
    private S3Request request;
    private AuthResult auth = AuthResult.anonymous();
    private boolean continueSent;
    /** Whether {@link #newHeaders()} has handed out the connection's reused headers. */
    private boolean headersTaken;
    private volatile boolean responseStarted;
    private volatile boolean closeAfterResponse;
    private ChannelFuture lastWrite;
    /** Whether the body ended with a pooled piece whose release, not a promise, tells that the last write is done. */
    private boolean endsOnRelease;
    /** With {@link #endsOnRelease}: of the last piece's release and {@link #finish()}, how many are still to come. */
    @SuppressWarnings("unused")
    private volatile int endsPending;
    private Runnable endTask;
    private Runnable doneTask;
    private int status;
    private S3Error error;
    private AuditLog.Note auditNote;
    private long bytesIn;
    private long bytesOut;

    Exchange(
        final S3Connection connection,
        final Channel channel,
        final HttpRequest head,
        final long requestId,
        final BodyQueue body,
        final RequestHandler handler)
    {
        this.connection = connection;
        this.channel = channel;
        this.head = head;
        this.requestIdValue = requestId;
        this.ids = connection.headerText(requestId);
        this.startNs = System.nanoTime();
        this.body = body;
        this.handler = handler;
        this.keepAliveRequested = HttpUtil.isKeepAlive(head);
    }

    /** Runs the request on its own thread and reports its end to the connection. */
    @Override
    public void run()
    {
        try
        {
            handler.handle(this);
        }
        catch (final Throwable t)
        {
            handler.fail(this, t);
        }
        finally
        {
            finish();
        }
    }

    /**
     * The request's work is done (its thread ends, or an inline GET completed): the connection
     * learns it once the last write has completed.
     */
    void finish()
    {
        if (!responseStarted && channel.isActive())
        {
            handler.fail(this, new IllegalStateException("no response was sent"));
        }
        body.discard();
        if (endsOnRelease)
        {
            endArrived();
            return;
        }
        final ChannelFuture last = lastWrite;
        if (last != null)
        {
            last.addListener((ChannelFutureListener)future -> connection.onExchangeDone(this));
        }
        else
        {
            channel.eventLoop().execute(() -> connection.onExchangeDone(this));
        }
    }

    /** One of the two ends of a body sent with {@link #endsOnRelease}; the second tells the connection. */
    private void endArrived()
    {
        if ((int)ENDS_PENDING.getAndAdd(this, -1) != 1)
        {
            return;
        }
        if (channel.eventLoop().inEventLoop())
        {
            connection.onExchangeDone(this);
            return;
        }
        if (doneTask == null)
        {
            doneTask = () -> connection.onExchangeDone(this);
        }
        channel.eventLoop().execute(doneTask);
    }

    /** @return the request head as decoded. */
    public HttpRequest head()
    {
        return head;
    }

    /** @return the S3 view of the request, once routed (null before). */
    public S3Request request()
    {
        return request;
    }

    void request(final S3Request routed)
    {
        this.request = routed;
    }

    /** @return who signed the request and how its body is protected (anonymous until verified). */
    public AuthResult auth()
    {
        return auth;
    }

    void auth(final AuthResult verified)
    {
        this.auth = verified;
    }

    /** @return this request's id (x-amz-request-id); made on the first call (errors, logs, audit). */
    public String requestId()
    {
        String text = requestId;
        if (text == null)
        {
            text = RequestIds.text(requestIdValue);
            requestId = text;
        }
        return text;
    }

    /**
     * @return this request's id as text for the access log, which the connection's reused header text
     *         gives while this is its current request (no String made).
     */
    CharSequence requestIdText()
    {
        return ids.says(requestIdValue) ? ids.id() : requestId();
    }

    /** @return the audit note this request's PUT carried into its commit, or null. */
    AuditLog.Note auditNote()
    {
        return auditNote;
    }

    void auditNote(final AuditLog.Note note)
    {
        this.auditNote = note;
    }

    /** @return whether the caller runs on this connection's event loop (where nothing may block). */
    boolean onEventLoop()
    {
        return channel.eventLoop().inEventLoop();
    }

    /** @return the client's address. */
    public String remote()
    {
        return connection.remote(channel);
    }

    /** @return when the request head arrived ({@link System#nanoTime()}). */
    public long startNs()
    {
        return startNs;
    }

    /** @return the request body. */
    BodyQueue body()
    {
        return body;
    }

    /** @return whether the client asked for the response before sending the body. */
    boolean expectsContinue()
    {
        return HttpUtil.is100ContinueExpected(head);
    }

    /** @return whether 100 Continue was sent. */
    boolean continueSent()
    {
        return continueSent;
    }

    /** Answers {@code Expect: 100-continue} (once), now that the request may proceed. */
    public void sendContinueIfExpected()
    {
        if (!continueSent && !responseStarted && expectsContinue())
        {
            continueSent = true;
            channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER));
        }
    }

    /**
     * @return response headers carrying what every S3 response carries (request ids, server, date).
     */
    public HttpHeaders newHeaders()
    {
        // The connection's reused headers (and text of this request's ids) are encoded before its next request
        // starts. Only the first call takes them: a second set (an error after a first was filled) must not
        // clear what the first still holds.
        final HttpHeaders headers = headersTaken ? new FlatHttpHeaders() : connection.responseHeaders();
        headersTaken = true;
        headers.set(REQUEST_ID, ids.id());
        headers.set(ID_2, ids.hostId());
        headers.set(HttpHeaderNames.SERVER, SERVER_NAME);
        headers.set(HttpHeaderNames.DATE, HttpDates.format(System.currentTimeMillis()));
        return headers;
    }

    /**
     * Sends a whole response.
     *
     * @param responseStatus the status.
     * @param headers        headers from {@link #newHeaders()}, completed by the caller.
     * @param content        the body (empty for none; never sent for HEAD).
     */
    public void respond(final HttpResponseStatus responseStatus, final HttpHeaders headers, final byte[] content)
    {
        final boolean noBody = HttpMethod.HEAD.equals(head.method()) || responseStatus.code() == 304
            || responseStatus.code() == 204;
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && responseStatus.code() != 204
            && responseStatus.code() != 304)
        {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, content.length);
        }
        final ByteBuf buf = noBody || content.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(content);
        startResponse(responseStatus, headers);
        bytesOut += buf.readableBytes();
        lastWrite = channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus, buf,
            headers,
            EmptyHttpHeaders.INSTANCE));
    }

    /**
     * Sends a whole response whose body is one buffer, head and body in a single write.
     *
     * @param responseStatus the status.
     * @param headers        headers from {@link #newHeaders()}, Content-Length included.
     * @param content        the body (ownership passes to Netty, also when this throws).
     */
    void respond(final HttpResponseStatus responseStatus, final HttpHeaders headers, final ByteBuf content)
    {
        try
        {
            startResponse(responseStatus, headers);
        }
        catch (final RuntimeException e)
        {
            content.release();
            throw e;
        }
        bytesOut += content.readableBytes();
        final DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, responseStatus,
            content, headers, EmptyHttpHeaders.INSTANCE);
        // On the event loop of a connection that stays open, a recycled body's release ends the exchange: no
        // promise, and the encoder, seeing the void promise, writes head and body without a PromiseCombiner. A
        // body small enough for the encoder to copy into the head is released before the bytes are out; that
        // only lets the connection start its next request early (its response still goes out after this one).
        // A connection that closes after this response waits for the write's promise: closing drops unwritten
        // bytes.
        if (content instanceof EndsOnRelease piece && !mustClose() && channel.eventLoop().inEventLoop())
        {
            piece.onReleased(armEndOnRelease());
            channel.writeAndFlush(response, channel.voidPromise());
        }
        else
        {
            lastWrite = channel.writeAndFlush(response);
        }
    }

    /** @return the task the last piece's release runs, the exchange now waiting for it and for {@link #finish()}. */
    private Runnable armEndOnRelease()
    {
        if (endTask == null)
        {
            endTask = this::endArrived;
        }
        endsOnRelease = true;
        endsPending = 2;
        return endTask;
    }

    /**
     * Sends the response head of a streamed body; {@link #writeBody} sends the body.
     *
     * @param responseStatus the status.
     * @param headers        the headers, Content-Length included.
     */
    public void startBody(final HttpResponseStatus responseStatus, final HttpHeaders headers)
    {
        startResponse(responseStatus, headers);
        lastWrite = channel.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, responseStatus, headers));
    }

    /**
     * Writes body bytes as they are (the HTTP encoder takes a bare ByteBuf as content) with the
     * channel's void promise, so a piece costs no content wrapper and no promise; a failed write
     * reaches the pipeline's exceptionCaught, which closes the connection. The end of the body is
     * the shared empty last content. After a pooled piece ({@link PooledReadBuf}) it too goes with
     * the void promise, and the piece's release tells that the body is out: Netty releases it once
     * its bytes are written or have failed, and it is flushed only by the end's flush, so that comes
     * after the end has passed the encoder. After any other buffer the end is written with a real
     * promise, which the end of the request waits for.
     *
     * @param content next body bytes (ownership passes to Netty).
     * @param last    whether they end the body.
     */
    public void writeBody(final ByteBuf content, final boolean last)
    {
        bytesOut += content.readableBytes();
        if (last && content instanceof EndsOnRelease piece)
        {
            channel.write(piece.onReleased(armEndOnRelease()), channel.voidPromise());
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
        }
        else if (last)
        {
            channel.write(content, channel.voidPromise());
            lastWrite = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        else
        {
            channel.writeAndFlush(content, channel.voidPromise());
        }
    }

    /** Ends a streamed body that had nothing (more) to send. */
    public void endBody()
    {
        lastWrite = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void startResponse(final HttpResponseStatus responseStatus, final HttpHeaders headers)
    {
        if (responseStarted)
        {
            throw new IllegalStateException("response already started");
        }
        connection.audit().beforeResponse(this, responseStatus.code(), headers);
        responseStarted = true;
        status = responseStatus.code();
        if (!keepAliveRequested || closeAfterResponse)
        {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        else if (head.protocolVersion().equals(HttpVersion.HTTP_1_0))
        {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * Closes the connection without completing the response: for failures after the head was sent,
     * which the client must not mistake for a complete body.
     */
    public void abortConnection()
    {
        closeAfterResponse = true;
        lastWrite = channel.close();
    }

    /**
     * Waits until the channel can take more bytes without queueing beyond its high-water mark.
     *
     * @return false when the connection is gone.
     */
    public boolean awaitWritable()
    {
        return channel.isWritable() || connection.awaitWritable(channel);
    }

    /** The channel's writability changed. */
    void writabilityChanged()
    {
        connection.signalWritability();
    }

    /** The connection closed: nothing more arrives and nothing written will be delivered. */
    void connectionLost()
    {
        body.fail(new ClientGoneException());
        writabilityChanged();
    }

    /** @return whether the channel is still open. */
    public boolean isConnected()
    {
        return channel.isActive();
    }

    /** @return whether the response head has been handed to Netty. */
    public boolean responseStarted()
    {
        return responseStarted;
    }

    /** The connection closes once this response is written (the body was not read to its end). */
    public void closeAfterResponse()
    {
        closeAfterResponse = true;
    }

    boolean mustClose()
    {
        return closeAfterResponse || !keepAliveRequested;
    }

    /** @return the HTTP status sent (0 when none was). */
    public int status()
    {
        return status;
    }

    /** @return the S3 error sent, or null. */
    public S3Error error()
    {
        return error;
    }

    /**
     * @param sent the S3 error this response carries.
     */
    public void error(final S3Error sent)
    {
        this.error = sent;
    }

    /** @return request body bytes received. */
    public long bytesIn()
    {
        return bytesIn;
    }

    /**
     * Event loop only.
     *
     * @param count more body bytes received (raw, as on the wire).
     */
    void addBytesIn(final long count)
    {
        bytesIn += count;
    }

    /** @return response body bytes handed to Netty. */
    public long bytesOut()
    {
        return bytesOut;
    }

    /** @return the channel (for the data path's writability checks). */
    Channel channel()
    {
        return channel;
    }

    /** @return the connection this exchange runs on. */
    S3Connection connection()
    {
        return connection;
    }
}
