package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.metrics.PrometheusText;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The server's own endpoints, unauthenticated: {@code GET /_conduit/metrics} (Prometheus text
 * format 0.0.4) and {@code GET /_conduit/health} ("ok" while the server serves).
 */
final class AdminEndpoints
{
    private final ServerContext server;

    AdminEndpoints(final ServerContext server)
    {
        this.server = server;
    }

    void serve(final Exchange exchange)
    {
        final S3Request request = exchange.request();
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method()))
        {
            throw S3Exception.of(S3Error.MethodNotAllowed, request.resource());
        }
        final HttpHeaders out = exchange.newHeaders();
        final byte[] body;
        if (request.operation() == Operation.Metrics)
        {
            out.set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
            body = (server.metrics().scrape(server.readBuffers().freeCount(),
                server.readBuffers().count()) + server.smallObjectScrape() + server.tierScrape()).getBytes(StandardCharsets.UTF_8);
        }
        else
        {
            out.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            body = "ok\n".getBytes(StandardCharsets.UTF_8);
        }
        exchange.respond(HttpResponseStatus.OK, out, body);
    }
}
