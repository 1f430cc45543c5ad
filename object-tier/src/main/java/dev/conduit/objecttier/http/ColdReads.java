package dev.conduit.objecttier.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.tier.ColdObject;
import dev.conduit.objecttier.tier.Fill;
import dev.conduit.objecttier.tier.FillSubscription;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.TierState;
import dev.conduit.objecttier.tier.Tiering;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * GET and HEAD of a read-through bucket ({@code dev.conduit.objecttier.tier}): a fresh local copy
 * is served as usual; a miss is served from the cold tier while it is fetched into the store (the
 * requests that start or join the fetch stream its bytes, those that join after the first bytes left
 * from the fill's replay of what was handed out, and their responses end once the object is
 * published; a miss that joins after the first part is in waits for the one fetch, then reads the
 * local copy); a range of a missing object comes straight from the cold
 * tier while the whole object is fetched in the background; a HEAD miss asks the cold tier's HEAD.
 * A stale copy whose cold object changed is fetched again and replaced atomically.
 */
final class ColdReads
{
    private static final long FOLLOWER_WAIT_MS = TimeUnit.MINUTES.toMillis(10);
    private static final int ATTEMPTS = 3;
    private static final int COPY_BYTES = 1 << 20;

    private final ServerContext server;

    ColdReads(final ServerContext server)
    {
        this.server = server;
    }

    /**
     * @param exchange a GetObject or HeadObject.
     * @return the local copy to serve, or null when this answered the request from the cold tier.
     * @throws InterruptedException when interrupted.
     */
    OpenObject openOrServe(final Exchange exchange) throws InterruptedException
    {
        final S3Request request = exchange.request();
        final Tiering tiering = server.tiering();
        final TierBinding binding = tiering == null ? null : tiering.binding(request.bucket()).orElse(null);
        if (binding == null || !binding.policy().readThrough())
        {
            return server.buckets().open(request.bucket(), request.key(), exchange.connection().readSlot());
        }
        try
        {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++)
            {
                final OpenObject open = openLocal(exchange);
                long staleVersion = -1;
                if (open != null)
                {
                    if (tiering.fresh(open.object()))
                    {
                        return open;
                    }
                    staleVersion = open.object().record().version();
                    open.close();
                }
                else if (HttpMethod.HEAD.equals(request.method()))
                {
                    headFromCold(exchange, tiering.headCold(request.bucket(), request.key()));
                    return null;
                }
                else if (request.headers().contains(HttpHeaderNames.RANGE))
                {
                    rangeFromCold(exchange, tiering);
                    return null;
                }
                final Tiering.Joined joined = tiering.fill(request.bucket(), request.key(), staleVersion,
                    HttpMethod.GET.equals(request.method()) && !request.headers().contains(HttpHeaderNames.RANGE));
                if (joined.subscribed())
                {
                    stream(exchange, joined.fill(), joined.subscription());
                    return null;
                }
                joined.fill().awaitDone(FOLLOWER_WAIT_MS);
            }
        }
        catch (final ConduitException e)
        {
            throw toS3(e, request.resource());
        }
        throw new S3Exception(S3Error.ServiceUnavailable, "The object kept changing in the cold tier while it was fetched.",
            request.resource());
    }

    /**
     * @param headers the response headers of a local object in a tiered bucket.
     * @param object  the object.
     */
    void describe(final HttpHeaders headers, final S3Object object)
    {
        final Tiering tiering = server.tiering();
        if (tiering != null && tiering.binding(object.bucket()).isPresent())
        {
            headers.set(TierState.HEADER, tiering.state(object).text());
        }
    }

    /**
     * @param exchange a GetObject or HeadObject of the current version.
     * @return the local copy, pinned through the connection's read slot, or null when there is none.
     */
    OpenObject openLocal(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        try
        {
            // The connection's slot, as a plain bucket's GET uses: a hit re-arms the last handle instead of making one.
            return server.buckets().open(request.bucket(), request.key(), exchange.connection().readSlot());
        }
        catch (final S3Exception e)
        {
            if (e.error() != S3Error.NoSuchKey)
            {
                throw e;
            }
            return null;
        }
    }

    private void stream(final Exchange exchange, final Fill fill, final FillSubscription subscription) throws InterruptedException
    {
        final S3Request request = exchange.request();
        final ColdObject object;
        try
        {
            object = fill.awaitHead();
        }
        catch (final ConduitException e)
        {
            subscription.unsubscribe();
            throw e;
        }
        final S3Object view = view(request, object);
        if (notModified(exchange, view))
        {
            subscription.unsubscribe();
            return;
        }
        final HttpHeaders headers = headersOf(exchange, view);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, object.sizeBytes());
        if (object.sizeBytes() == 0)
        {
            subscription.unsubscribe();
            exchange.respond(HttpResponseStatus.OK, headers, new byte[0]);
            return;
        }
        exchange.startBody(HttpResponseStatus.OK, headers);
        // The status and headers leave now, not with the first piece: the client's first byte does not wait for the cold
        // tier's first megabyte.
        exchange.channel().flush();
        final long sizeBytes = object.sizeBytes();
        long sent = 0;
        try
        {
            // Each piece leaves as it arrives, except the one that completes the object: it leaves only after the
            // fill's commit, so a client holding the whole body finds the object local.
            Fill.Piece last = null;
            Fill.Piece piece;
            while ((piece = subscription.next()) != null)
            {
                if (sent + piece.length() >= sizeBytes)
                {
                    last = piece;
                    continue;
                }
                if (!exchange.awaitWritable())
                {
                    subscription.unsubscribe();
                    return;
                }
                sent += piece.length();
                exchange.writeBody(Unpooled.wrappedBuffer(piece.bytes(), piece.offset(), piece.length()), false);
            }
            if (last == null)
            {
                throw new ConduitException(ErrorCode.COLD_TIER_FAILED, "the fill ended after " + sent + " of " + sizeBytes + " bytes");
            }
            if (exchange.awaitWritable())
            {
                exchange.writeBody(Unpooled.wrappedBuffer(last.bytes(), last.offset(), last.length()), true);
            }
        }
        catch (final ConduitException e)
        {
            // The head is gone: the client must see a cut body, never a short one that looks complete.
            server.log().log(System.Logger.Level.WARNING, "request " + exchange.requestId() + ": fetch of " + request.resource()
                + " from the cold tier failed after " + sent + " bytes; connection aborted: " + e.getMessage());
            exchange.abortConnection();
        }
    }

    private void headFromCold(final Exchange exchange, final ColdObject object)
    {
        final S3Request request = exchange.request();
        final S3Object view = view(request, object);
        if (notModified(exchange, view))
        {
            return;
        }
        final HttpHeaders headers = headersOf(exchange, view);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, object.sizeBytes());
        exchange.respond(HttpResponseStatus.OK, headers, new byte[0]);
    }

    private void rangeFromCold(final Exchange exchange, final Tiering tiering)
    {
        final S3Request request = exchange.request();
        final ResponseInputStream<GetObjectResponse> in = tiering.coldRange(request.bucket(), request.key(),
            request.headers().get(HttpHeaderNames.RANGE));
        try (in)
        {
            final GetObjectResponse response = in.response();
            final long length = response.contentLength();
            final S3Object view = view(request, new ColdObject(request.key(), length, unquote(response.eTag()),
                response.lastModified(), S3Metadata.EMPTY));
            final HttpHeaders headers = headersOf(exchange, view);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
            final boolean partial = response.contentRange() != null;
            if (partial)
            {
                headers.set(HttpHeaderNames.CONTENT_RANGE, response.contentRange());
            }
            final HttpResponseStatus status = partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK;
            if (length == 0)
            {
                exchange.respond(status, headers, new byte[0]);
                return;
            }
            exchange.startBody(status, headers);
            copy(exchange, in, length);
        }
        catch (final IOException e)
        {
            server.log().log(System.Logger.Level.WARNING, "request " + exchange.requestId() + ": range of " + request.resource()
                + " from the cold tier failed; connection aborted: " + e.getMessage());
            exchange.abortConnection();
        }
    }

    private static void copy(final Exchange exchange, final InputStream in, final long length) throws IOException
    {
        long sent = 0;
        while (sent < length)
        {
            final byte[] buffer = new byte[(int)Math.min(COPY_BYTES, length - sent)];
            final int n = in.readNBytes(buffer, 0, buffer.length);
            if (n <= 0 || !exchange.awaitWritable())
            {
                exchange.abortConnection();
                return;
            }
            sent += n;
            exchange.writeBody(Unpooled.wrappedBuffer(buffer, 0, n), sent == length);
        }
    }

    /** Answers 304 when the request's conditions say so; returns whether it did. */
    private static boolean notModified(final Exchange exchange, final S3Object view)
    {
        if (Preconditions.evaluate(exchange.request().headers(), view.etag(), view.lastModified()) != Preconditions.Outcome.NOT_MODIFIED)
        {
            return false;
        }
        final HttpHeaders headers = exchange.newHeaders();
        ObjectHeaders.etagAndDate(headers, view);
        exchange.respond(HttpResponseStatus.NOT_MODIFIED, headers, new byte[0]);
        return true;
    }

    private static HttpHeaders headersOf(final Exchange exchange, final S3Object view)
    {
        final HttpHeaders headers = exchange.newHeaders();
        ObjectHeaders.describe(headers, view, exchange.request().query(), false);
        headers.set(TierState.HEADER, TierState.COLD_ONLY.text());
        return headers;
    }

    private static S3Object view(final S3Request request, final ColdObject object)
    {
        return new S3Object(request.bucket(), request.key(), object.sizeBytes(), object.etag(), object.lastModified(), object.metadata(),
            null);
    }

    private static String unquote(final String etag)
    {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static S3Exception toS3(final ConduitException e, final String resource)
    {
        if (e.code() == ErrorCode.NOT_FOUND)
        {
            return new S3Exception(S3Error.NoSuchKey, S3Error.NoSuchKey.defaultMessage(), resource, e);
        }
        return coldFailure(e, resource);
    }

    /**
     * @param e        a failure of a cold request (after its retries).
     * @param resource the request's resource.
     * @return the 503 a client sees, naming the cold endpoint, the operation and the cause.
     */
    static S3Exception coldFailure(final ConduitException e, final String resource)
    {
        return new S3Exception(S3Error.ServiceUnavailable, "The cold tier failed: " + e.getMessage(), resource, e);
    }
}
