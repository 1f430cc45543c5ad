package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectReadHandle;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ObjectRangeReader;
import dev.conduit.scheduler.store.RangeRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Sends a byte range of a pinned object version as a response body, one pooled buffer at a time:
 * each piece is read through the scheduler (verified) into a page-aligned buffer of the
 * {@link ReadBufferPool}, and that very buffer is written to the socket. A connection holds at most
 * two buffers (one being written while the next is read), and a read is only issued once the
 * channel is writable again, so a slow client slows its reads down instead of filling memory.
 *
 * <p>A piece whose checksum chunk does not verify aborts the connection (the headers are gone, so
 * the client must see a truncated body, never wrong bytes), is logged and counted.
 *
 * <p>Allocation: none per piece here. The request and completion are reused for every piece of
 * the response, the reader's contexts are pooled, each pool buffer's ByteBuf is recycled
 * ({@link PooledReadBuf}) and {@link Exchange#writeBody} writes it bare with the channel's void
 * promise. What a piece still allocates is below this class: the scheduler's verify and the
 * store's layout walk (see the object-tier README's figures).
 *
 * <p>Threading: one streamer per request thread; the completion arrives on a device thread and
 * only stores the result and unparks.
 */
final class ObjectStreamer extends PieceRead
{
    private static final long UNSET = Long.MIN_VALUE;

    private final ServerContext server;
    private final ObjectRangeReader reader;
    private final RangeRequest request = new RangeRequest();
    private volatile Thread waiter;

    /**
     * @param server the server (buffer pool, metrics).
     * @param reader the store's range reader.
     */
    ObjectStreamer(final ServerContext server, final ObjectRangeReader reader)
    {
        this.server = server;
        this.reader = reader;
    }

    /**
     * Streams {@code [offset, offset + length)} of the object; the response head has been sent.
     *
     * @param exchange the request.
     * @param version  the pinned version.
     * @param offset   first byte.
     * @param length   bytes to send, at least 1.
     * @return whether the whole range was handed to the socket.
     * @throws InterruptedException when the request thread is interrupted.
     */
    boolean stream(final Exchange exchange, final ObjectReadHandle version, final long offset, final long length)
        throws InterruptedException
    {
        final int bufferBytes = server.readBuffers().bufferBytes();
        final long end = offset + length;
        long position = offset;
        while (position < end)
        {
            if (!exchange.awaitWritable())
            {
                return false;
            }
            // Start at the same offset within a page as within the object: block-aligned reads then go straight into
            // the buffer.
            final int lead = (int)(position % ReadBufferPool.ALIGNMENT);
            final int pieceBytes = (int)Math.min(end - position, bufferBytes - lead);
            final PooledReadBuf piece = readPiece(exchange, version, position, pieceBytes, lead);
            if (piece == null)
            {
                return false;
            }
            position += pieceBytes;
            exchange.writeBody(piece, position == end);
        }
        return true;
    }

    /**
     * Answers a GET with {@code [offset, offset + length)} of the object. A body that fits one pool
     * buffer is read first and handed to Netty with its head as one response, one hand-off to the
     * event loop instead of three (head, body, end); a larger one streams after the head. A failed
     * read of a one-buffer body hands the head over and aborts, as a streamed body whose first piece fails.
     *
     * @param exchange the request.
     * @param status   the response status.
     * @param headers  the response headers, Content-Length included.
     * @param version  the pinned version.
     * @param offset   first byte.
     * @param length   bytes to send, at least 1.
     * @return whether the whole range was handed to the socket.
     * @throws InterruptedException when the request thread is interrupted.
     */
    boolean send(final Exchange exchange, final HttpResponseStatus status, final HttpHeaders headers,
        final ObjectReadHandle version, final long offset, final long length) throws InterruptedException
    {
        final int lead = (int)(offset % ReadBufferPool.ALIGNMENT);
        if (lead + length > server.readBuffers().bufferBytes())
        {
            exchange.startBody(status, headers);
            return stream(exchange, version, offset, length);
        }
        final PooledReadBuf whole = readPiece(exchange, version, offset, (int)length, lead, status, headers);
        if (whole == null)
        {
            return false;
        }
        exchange.respond(status, headers, whole);
        return true;
    }

    private PooledReadBuf readPiece(final Exchange exchange, final ObjectReadHandle version, final long position,
        final int pieceBytes, final int lead) throws InterruptedException
    {
        return readPiece(exchange, version, position, pieceBytes, lead, null, null);
    }

    /**
     * @param status  with {@code headers}, the head to send before aborting on a failed read when it is not out yet
     *                (null when it is).
     * @return the buffer holding the piece, with one reference, or null when the read failed (reported, connection
     *         aborted, buffer returned).
     */
    private PooledReadBuf readPiece(final Exchange exchange, final ObjectReadHandle version, final long position,
        final int pieceBytes, final int lead, final HttpResponseStatus status, final HttpHeaders headers)
        throws InterruptedException
    {
        final ReadBufferPool pool = server.readBuffers();
        final Semaphore permits = exchange.connection().readBuffers();
        permits.acquire();
        final PooledReadBuf buffer;
        try
        {
            buffer = pool.acquire();
        }
        catch (final InterruptedException e)
        {
            permits.release();
            throw e;
        }
        final long read;
        try
        {
            read = read(version, position, pieceBytes, buffer.segment(), lead);
        }
        catch (final RuntimeException e)
        {
            pool.release(buffer);
            permits.release();
            throw e;
        }
        if (read != pieceBytes || !exchange.isConnected())
        {
            pool.release(buffer);
            permits.release();
            if (status != null)
            {
                exchange.startBody(status, headers);
            }
            onReadFailure(server, exchange, position, read, corruption);
            return null;
        }
        return buffer.piece(lead, pieceBytes, permits);
    }

    private long read(final ObjectReadHandle version, final long position, final int pieceBytes,
        final MemorySegment buffer, final int lead)
    {
        result = UNSET;
        corruption = null;
        waiter = Thread.currentThread();
        request.object(version).range(position, pieceBytes).into(buffer, lead).verify(true).priority(Priority.LATENCY);
        reader.read(request, this, 0);
        long value;
        while ((value = result) == UNSET)
        {
            LockSupport.park(this);
        }
        waiter = null;
        return value;
    }

    /**
     * Reports a piece that was not read whole (or whose client left) and aborts the connection.
     *
     * @param server     the server (metrics, log).
     * @param exchange   the request.
     * @param position   where the piece began in the object.
     * @param read       the read's result.
     * @param cause      what the reader reported for a {@link ObjectRangeReader#CORRUPT} read, or null.
     */
    static void onReadFailure(final ServerContext server, final Exchange exchange, final long position,
        final long read, final CorruptExtentException cause)
    {
        logReadFailure(server, exchange, position, read, cause, "connection aborted");
        exchange.abortConnection();
    }

    /** Logs (and counts, when corrupt) a failed or unverified read; {@code outcome} says what the client got. */
    static void logReadFailure(final ServerContext server, final Exchange exchange, final long position,
        final long read, final CorruptExtentException cause, final String outcome)
    {
        if (read == ObjectRangeReader.CORRUPT)
        {
            server.metrics().corruptRead();
            server.log().log(System.Logger.Level.ERROR, "request " + exchange.requestId()
                + ": corrupt chunk while serving "
                + exchange.request().resource() + " at " + position + "; " + outcome, cause);
        }
        else if (read < 0)
        {
            server.log().log(System.Logger.Level.WARNING, "request " + exchange.requestId() + ": read of "
                + exchange.request().resource()
                + " at " + position + " failed (" + read + "); " + outcome);
        }
    }

    @Override
    protected void completed()
    {
        final Thread thread = waiter;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }
}
