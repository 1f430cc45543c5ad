package dev.conduit.objecttier.http;

import java.util.concurrent.Semaphore;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ObjectRangeReader;
import dev.conduit.scheduler.store.RangeRequest;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A whole-object GET of a small object (one read buffer) with no request thread: the event loop
 * that decoded the request routes, authenticates and opens (pins) the object, then submits one
 * verified read through the scheduler (LATENCY class) into a pool buffer; the device thread that
 * completes it only hands the result back to the event loop, which writes head and body as one
 * response, unpins the version and ends the exchange. Two hand-offs (event loop to device and back)
 * instead of five (to a virtual thread, to the device, back to the thread, to the event loop for the
 * response, and its completion).
 *
 * <p>Nothing here blocks the event loop: buffers are taken only when free ({@code tryAcquire}), or
 * the request goes to its own thread as before. The one wait left is the scheduler's submit, which
 * waits for a ring slot only while the device's ring is full (the device is saturated).
 *
 * <p>A read that fails or does not verify is answered with an S3 InternalError (nothing of the
 * object has gone out, so the client never sees wrong bytes and the connection keeps serving), and
 * is logged and counted.
 *
 * <p>Threading: one per connection, one GET at a time; {@link #start} and the completion's second
 * half run on the connection's event loop, {@link #completed} on a device thread.
 */
final class InlineGet extends PieceRead
{
    private final ServerContext server;
    private final ErrorResponses errors;
    private final ObjectRangeReader reader;
    private final EventLoop loop;
    private final RangeRequest request = new RangeRequest();
    private final Runnable completeTask = this::complete;
    private Exchange exchange;
    private OpenObject open;
    private HttpHeaders headers;
    private PooledReadBuf buffer;
    private Semaphore permits;
    private int lengthBytes;

    /**
     * @param server the server (buffer pool, metrics).
     * @param reader the store's range reader.
     * @param loop   the connection's event loop.
     */
    InlineGet(final ServerContext server, final ObjectRangeReader reader, final EventLoop loop)
    {
        this.server = server;
        this.errors = new ErrorResponses(server);
        this.reader = reader;
        this.loop = loop;
    }

    /**
     * Event loop: starts reading the whole object.
     *
     * @param get         the request.
     * @param object      the pinned object; this closes it once started (not when it returns false).
     * @param head        the response headers, Content-Length included.
     * @param objectBytes the object's size, at least 1 and at most one pool buffer.
     * @return false, having taken nothing, when no buffer is free right now.
     */
    boolean start(final Exchange get, final OpenObject object, final HttpHeaders head, final int objectBytes)
    {
        final Semaphore connectionPermits = get.connection().readBuffers();
        if (!connectionPermits.tryAcquire())
        {
            return false;
        }
        final PooledReadBuf pooled = server.readBuffers().tryAcquire();
        if (pooled == null)
        {
            connectionPermits.release();
            return false;
        }
        exchange = get;
        open = object;
        headers = head;
        buffer = pooled;
        permits = connectionPermits;
        lengthBytes = objectBytes;
        corruption = null;
        request.object(object.handle()).range(0, objectBytes).into(pooled.segment(), 0).verify(true)
            .priority(Priority.LATENCY);
        try
        {
            reader.read(request, this, 0);
        }
        catch (final RuntimeException e)
        {
            server.readBuffers().release(pooled);
            connectionPermits.release();
            clear();
            throw e;
        }
        return true;
    }

    @Override
    protected void completed()
    {
        // Unpinning and writing belong to the event loop.
        loop.execute(completeTask);
    }

    private void complete()
    {
        final Exchange get = exchange;
        final OpenObject object = open;
        final HttpHeaders head = headers;
        final PooledReadBuf pooled = buffer;
        final Semaphore connectionPermits = permits;
        final long read = result;
        final boolean whole = read == lengthBytes && get.isConnected();
        clear();
        try
        {
            if (whole)
            {
                server.smallObjects().fill(object.handle().record(), pooled.segment(), (int)read);
                get.respond(HttpResponseStatus.OK, head, pooled.piece(0, (int)read, connectionPermits));
            }
            else
            {
                server.readBuffers().release(pooled);
                connectionPermits.release();
                ObjectStreamer.logReadFailure(server, get, 0, read, corruption, "answered InternalError");
                errors.send(get, new S3Exception(S3Error.InternalError, read == ObjectRangeReader.CORRUPT
                    ? "The stored object failed its checksum check; it was not served." : "Reading the stored object failed.", ""), null);
            }
        }
        finally
        {
            object.close();
            get.finish();
        }
    }

    private void clear()
    {
        exchange = null;
        open = null;
        headers = null;
        buffer = null;
        permits = null;
    }
}
