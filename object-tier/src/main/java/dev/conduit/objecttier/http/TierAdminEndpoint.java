package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.tier.TierAdmin;
import dev.conduit.objecttier.tier.TierBinding;
import dev.conduit.objecttier.tier.Tiering;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code /_conduit/tier}: {@code conduit tier attach/detach/ls/prefetch} against a running server
 * (the protocol is {@link TierAdmin}'s). Unlike metrics and health it is SigV4-authenticated like
 * any S3 request: it changes what the server does with its buckets.
 */
final class TierAdminEndpoint
{
    private final ServerContext server;

    TierAdminEndpoint(final ServerContext server)
    {
        this.server = server;
    }

    void serve(final Exchange exchange) throws InterruptedException
    {
        final Tiering tiering = server.tiering();
        if (tiering == null)
        {
            throw new S3Exception(S3Error.NotImplemented, "This server runs without a tiering layer", exchange.request().resource());
        }
        final S3Request request = exchange.request();
        final String what = request.key();
        final boolean get = HttpMethod.GET.equals(request.method());
        if (!(what.isEmpty() || what.equals("progress") ? get : HttpMethod.POST.equals(request.method())))
        {
            throw S3Exception.of(S3Error.MethodNotAllowed, request.resource());
        }
        try
        {
            final String answer = switch (what)
            {
                case "" -> TierAdmin.list(tiering);
                case "attach" -> attach(tiering, TierAdmin.decodeBinding(new String(XmlBodies.read(exchange), StandardCharsets.UTF_8)));
                case "detach" -> detach(tiering, required(request, "bucket"));
                case "prefetch" -> TierAdmin.prefetch(tiering, required(request, "bucket"), param(request, "prefix"),
                    parallel(request), param(request, "id"));
                case "progress" -> TierAdmin.progress(tiering, required(request, "id"));
                default -> throw new S3Exception(S3Error.InvalidRequest, "unknown tier operation '" + what + "'", request.resource());
            };
            final HttpHeaders out = exchange.newHeaders();
            out.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.respond(HttpResponseStatus.OK, out, answer.getBytes(StandardCharsets.UTF_8));
        }
        catch (final ConduitException e)
        {
            final S3Error error = e.code() == ErrorCode.NOT_FOUND ? S3Error.NoSuchBucket
                : e.code() == ErrorCode.INVALID_ARGUMENT || e.code() == ErrorCode.CONFIG_INVALID ? S3Error.InvalidArgument
                : S3Error.ServiceUnavailable;
            throw new S3Exception(error, e.getMessage(), request.resource(), e);
        }
    }

    private String attach(final Tiering tiering, final TierBinding binding)
    {
        if (server.buckets().bucket(binding.bucket()).isEmpty())
        {
            server.buckets().createBucket(binding.bucket());
        }
        tiering.attach(binding);
        return "attached " + TierAdmin.describe(binding) + "\n";
    }

    private static String detach(final Tiering tiering, final String bucket)
    {
        if (!tiering.detach(bucket))
        {
            throw new ConduitException(ErrorCode.NOT_FOUND, bucket + " has no cold tier");
        }
        return "detached " + bucket + "\n";
    }

    private static int parallel(final S3Request request)
    {
        final String value = param(request, "parallel");
        try
        {
            return value.isEmpty() ? 8 : Integer.parseInt(value);
        }
        catch (final NumberFormatException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "parallel must be a number: '" + value + "'", e);
        }
    }

    private static String required(final S3Request request, final String name)
    {
        final String value = param(request, name);
        if (value.isEmpty())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "missing the " + name + " parameter");
        }
        return value;
    }

    private static String param(final S3Request request, final String name)
    {
        final String value = request.param(name);
        return value == null ? "" : value;
    }
}
