package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.tier.Tiering;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * GetObject and HeadObject: open (pin) the current version or the one {@code versionId} names,
 * evaluate the conditional headers, pick the range, answer with the object's headers, and for a GET
 * stream the bytes of exactly that version through {@link ObjectStreamer}.
 */
final class ObjectReads
{
    private final ServerContext server;
    private final ErrorResponses errors;
    private final ColdReads cold;

    ObjectReads(final ServerContext server, final ErrorResponses errors)
    {
        this.server = server;
        this.errors = errors;
        this.cold = new ColdReads(server);
    }

    /**
     * @param exchange a GetObject or HeadObject.
     * @throws InterruptedException when the request thread is interrupted.
     */
    void getOrHead(final Exchange exchange) throws InterruptedException
    {
        final S3Request request = exchange.request();
        final String versionId = request.param("versionId");
        // A version names a local copy; only the current object reads through from a cold tier.
        try (OpenObject open = versionId != null ? server.buckets().open(request.bucket(), request.key(), versionId)
            : cold.openOrServe(exchange))
        {
            if (open == null)
            {
                return; // answered from the cold tier
            }
            final S3Object object = open.object();
            if (Preconditions.evaluate(request.headers(), object.etag(),
                object.lastModified()) == Preconditions.Outcome.NOT_MODIFIED)
            {
                final HttpHeaders headers = exchange.newHeaders();
                ObjectHeaders.etagAndDate(headers, object);
                exchange.respond(HttpResponseStatus.NOT_MODIFIED, headers, new byte[0]);
                return;
            }
            final long size = object.sizeBytes();
            final ByteRange range = range(request, object);
            if (range == ByteRange.UNSATISFIABLE)
            {
                final HttpHeaders extra = new DefaultHttpHeaders();
                extra.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                errors.send(exchange, S3Exception.of(S3Error.InvalidRange, request.resource()), extra);
                return;
            }
            final HttpHeaders headers = headers(exchange, object, range);
            cold.describe(headers, object);
            final long offset = range == null ? 0 : range.offset();
            final long length = range == null ? size : range.length();
            headers.set(HttpHeaderNames.CONTENT_LENGTH, HeaderValueCache.decimal(length));
            if (range != null)
            {
                headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
            }
            final HttpResponseStatus status = range == null ? HttpResponseStatus.OK
                : HttpResponseStatus.PARTIAL_CONTENT;
            if (HttpMethod.HEAD.equals(request.method()) || length == 0)
            {
                exchange.respond(status, headers, new byte[0]);
                return;
            }
            exchange.connection().streamer().send(exchange, status, headers, open.handle(), offset, length);
        }
    }

    /**
     * Event loop: starts a whole-object GET of a small local object without a request thread (see
     * {@link InlineGet}), or returns false, having sent nothing and holding nothing, for the request's
     * thread to do it: a version, part, Range or conditional that is not plainly met, an object of a
     * bucket bound to a cold tier that is not local or is due for revalidation, an object larger than
     * one read buffer or empty, or no buffer free right now. An
     * object the {@link SmallObjectCache} holds for exactly the version opened is answered at once.
     *
     * @param exchange a GetObject, routed and authorized.
     * @return whether the response is under way.
     * @throws RuntimeException anything {@link BucketStore#open} or {@link Preconditions} throw (the
     *                          request's thread then answers it).
     */
    boolean tryInline(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        if (request.param("versionId") != null || request.param("partNumber") != null
            || request.headers().contains(HttpHeaderNames.RANGE))
        {
            return false;
        }
        final Tiering tiering = server.tiering();
        final boolean tiered = tiering != null && tiering.binding(request.bucket()).isPresent();
        // A tiered bucket's miss reads through from the cold tier, which the event loop must not wait on.
        final OpenObject open = tiered ? cold.openLocal(exchange)
            : server.buckets().open(request.bucket(), request.key(), exchange.connection().readSlot());
        if (open == null)
        {
            return false;
        }
        boolean started = false;
        try
        {
            final S3Object object = open.object();
            final long size = object.sizeBytes();
            if (size == 0 || size > server.readBuffers().bufferBytes()
                || Preconditions.evaluate(request.headers(), object.etag(), object.lastModified())
                != Preconditions.Outcome.PROCEED
                || tiered && !tiering.freshWithoutAsking(object))
            {
                return false;
            }
            final HttpHeaders headers = headers(exchange, object, null);
            cold.describe(headers, object);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, HeaderValueCache.decimal(size));
            final ByteBuf cached = server.smallObjects().get(open.handle().record());
            if (cached != null)
            {
                // The version just opened from the catalog is the one these bytes were read and verified from.
                // A throw from respond sent nothing (it releases the body): the request's thread answers it.
                exchange.respond(HttpResponseStatus.OK, headers, cached);
                // Ended once the request's (empty) last content has arrived, which the decoder emits right after this
                // head: ended earlier, the connection would take the body as unread.
                exchange.connection().finishAfterRequest(exchange);
                return true;
            }
            started = exchange.connection().inlineGet().start(exchange, open, headers, (int)size);
            return started;
        }
        finally
        {
            if (!started)
            {
                open.close();
            }
        }
    }

    private HttpHeaders headers(final Exchange exchange, final S3Object object, final ByteRange range)
    {
        final S3Request request = exchange.request();
        final HttpHeaders headers = exchange.newHeaders();
        ObjectHeaders.describe(headers, object, request.query(),
            "ENABLED".equalsIgnoreCase(request.headers().get("x-amz-checksum-mode")) && range == null);
        ObjectHeaders.versionId(headers, object, server.buckets().versioning(request.bucket()));
        return headers;
    }

    private static ByteRange range(final S3Request request, final S3Object object)
    {
        final String partNumber = request.param("partNumber");
        if (partNumber != null)
        {
            // Parts of a completed upload are not tracked per object: part 1 of a single-part object is the object.
            if (!"1".equals(partNumber.trim()) || object.etag().indexOf('-') >= 0)
            {
                throw new S3Exception(S3Error.NotImplemented, "partNumber other than 1 of a single-part object",
                    request.resource());
            }
            return null;
        }
        return ByteRange.parse(request.headers().get(HttpHeaderNames.RANGE), object.sizeBytes());
    }
}
