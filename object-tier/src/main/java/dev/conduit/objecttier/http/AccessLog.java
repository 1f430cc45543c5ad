package dev.conduit.objecttier.http;

import java.time.Instant;
import java.util.function.Consumer;

import dev.conduit.objecttier.S3Error;

/**
 * One JSON line per finished request: time, request id, remote address, operation, bucket, key,
 * status, body bytes in and out, duration in microseconds, and the S3 error code when there was
 * one. Lines go to a sink; the server's default is an {@link AccessLogWriter} on standard error.
 */
public final class AccessLog
{
    private final Consumer<String> sink;

    /**
     * @param sink where each line goes; called on an event-loop thread, so it must not block.
     */
    public AccessLog(final Consumer<String> sink)
    {
        this.sink = sink;
    }

    /**
     * @param exchange   the finished request.
     * @param durationUs how long it took.
     */
    void record(final Exchange exchange, final long durationUs)
    {
        final S3Request request = exchange.request();
        final S3Error error = exchange.error();
        final StringBuilder sb = new StringBuilder(256);
        sb.append("{\"time\":\"").append(Instant.now()).append('"');
        field(sb, "requestId", exchange.requestId());
        field(sb, "remote", exchange.remote());
        field(sb, "method", exchange.head().method().name());
        field(sb, "operation", request == null ? Operation.BadRequest.name() : request.operation().name());
        field(sb, "bucket", request == null ? "" : request.bucket());
        field(sb, "key", request == null ? "" : request.key());
        sb.append(",\"status\":").append(exchange.status());
        sb.append(",\"bytesIn\":").append(exchange.bytesIn());
        sb.append(",\"bytesOut\":").append(exchange.bytesOut());
        sb.append(",\"durationUs\":").append(durationUs);
        field(sb, "error", error == null ? "" : error.name());
        sb.append('}');
        sink.accept(sb.toString());
    }

    private static void field(final StringBuilder sb, final String name, final String value)
    {
        sb.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
