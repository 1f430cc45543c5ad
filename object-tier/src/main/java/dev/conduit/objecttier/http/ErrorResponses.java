package dev.conduit.objecttier.http;

import java.util.Map;

import dev.conduit.core.ConduitException;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.xml.S3Xml;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Turns a failure into S3's answer: an {@link S3Exception} is sent as it is; a
 * {@link ConduitException} that escaped the bucket layer is mapped by its error code; anything
 * else is an InternalError, logged once with the request id. A failure after the response head
 * went out cannot be answered, so the connection is closed instead.
 */
final class ErrorResponses
{
    private final ServerContext server;

    ErrorResponses(final ServerContext server)
    {
        this.server = server;
    }

    /**
     * @param exchange the request.
     * @param failure  what went wrong.
     */
    void fail(final Exchange exchange, final Throwable failure)
    {
        if (failure instanceof Error && !(failure instanceof StackOverflowError))
        {
            server.log().log(System.Logger.Level.ERROR, "request " + exchange.requestId() + " failed", failure);
        }
        if (failure instanceof ClientGoneException)
        {
            return;
        }
        if (exchange.responseStarted())
        {
            server.log().log(System.Logger.Level.WARNING, "request " + exchange.requestId()
                + " failed after its response started: "
                + failure);
            exchange.abortConnection();
            return;
        }
        final S3Exception s3 = toS3(exchange, failure);
        HttpHeaders extra = null;
        if (!s3.headers().isEmpty())
        {
            extra = new DefaultHttpHeaders();
            for (final Map.Entry<String, String> h : s3.headers().entrySet())
            {
                extra.set(h.getKey(), h.getValue());
            }
        }
        send(exchange, s3, extra);
    }

    /**
     * Sends an S3 error document.
     *
     * @param exchange the request.
     * @param error    the error.
     * @param extra    more headers (Content-Range of a 416), or null.
     */
    void send(final Exchange exchange, final S3Exception error, final HttpHeaders extra)
    {
        if (!exchange.isConnected())
        {
            return;
        }
        final String resource = error.resource().isEmpty() && exchange.request() != null
            ? exchange.request().resource() : error.resource();
        final HttpHeaders headers = exchange.newHeaders();
        if (extra != null)
        {
            headers.add(extra);
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, S3Xml.CONTENT_TYPE);
        final byte[] body = S3Xml.error(error.error(), error.getMessage(), resource, exchange.requestId(),
            RequestIds.hostId(exchange.requestId()));
        exchange.error(error.error());
        if (exchange.expectsContinue() && !exchange.continueSent())
        {
            // The client may or may not send the body it announced: only closing leaves no doubt.
            exchange.closeAfterResponse();
        }
        exchange.respond(HttpResponseStatus.valueOf(error.error().httpStatus()), headers, body);
    }

    private S3Exception toS3(final Exchange exchange, final Throwable failure)
    {
        if (failure instanceof S3Exception s3)
        {
            return s3;
        }
        if (failure instanceof ConduitException conduit)
        {
            final S3Error mapped = map(conduit);
            if (mapped != S3Error.InternalError)
            {
                return new S3Exception(mapped, mapped.defaultMessage(), "", conduit);
            }
        }
        server.metrics().internalError();
        server.log().log(System.Logger.Level.ERROR, "request " + exchange.requestId()
            + " failed with an internal error", failure);
        return S3Exception.of(S3Error.InternalError, "");
    }

    /**
     * @param e a store failure.
     * @return the S3 error a client should see.
     */
    static S3Error map(final ConduitException e)
    {
        return switch (e.code())
        {
            case NOT_FOUND -> S3Error.NoSuchKey;
            case KEY_TOO_LONG -> S3Error.KeyTooLongError;
            case INVALID_KEY, INVALID_ARGUMENT, METADATA_TOO_LARGE -> S3Error.InvalidArgument;
            case SIZE_MISMATCH, SHORT_READ -> S3Error.IncompleteBody;
            case DIGEST_MISMATCH -> S3Error.BadDigest;
            case PRECONDITION_FAILED -> S3Error.PreconditionFailed;
            case OUT_OF_RANGE -> S3Error.InvalidRange;
            case PERMISSION_DENIED -> S3Error.AccessDenied;
            case TRY_AGAIN, RING_FULL, TIMED_OUT -> S3Error.SlowDown;
            case NO_SPACE, SHUTDOWN, STORE_CLOSED, NAMESPACE_CLOSED, SCHEDULER_CLOSED,
                DEVICE_UNAVAILABLE -> S3Error.ServiceUnavailable;
            default -> S3Error.InternalError;
        };
    }
}
