package dev.conduit.objecttier.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

import dev.conduit.objecttier.S3Error;

/**
 * One JSON line per finished request: time, request id, remote address, operation, bucket, key,
 * status, body bytes in and out, duration in microseconds, and the S3 error code when there was
 * one. Lines go to a sink; the server's default is an {@link AccessLogWriter} on standard error.
 */
public final class AccessLog
{
    private static final int LINE_CHARS = 256;
    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(LINE_CHARS));

    private final Consumer<String> sink;
    // The ISO-8601 text up to the second, made once per second rather than per line (the formatter
    // was a visible share of a small GET's CPU); a racing reader sees an old or new record, both whole.
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String prefix)
    {
    }

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
        final StringBuilder sb = lineBuilder();
        sb.append("{\"time\":\"");
        appendTime(sb, System.currentTimeMillis());
        sb.append('"');
        field(sb, "requestId", exchange.requestIdText());
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
        if (sink instanceof AccessLogWriter writer)
        {
            writer.line(sb);        // copied as bytes: no String per line
        }
        else
        {
            sink.accept(sb.toString());
        }
    }

    /**
     * @return an empty builder: the calling platform thread's own (an event loop writes every line of its
     *         connections, so an {@link AccessLogWriter}'s line costs nothing), or a new one on a virtual thread.
     */
    private static StringBuilder lineBuilder()
    {
        if (Thread.currentThread().isVirtual())
        {
            return new StringBuilder(LINE_CHARS);
        }
        final StringBuilder sb = LINE.get();
        sb.setLength(0);
        return sb;
    }

    /** Appends {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC, milliseconds). */
    private void appendTime(final StringBuilder sb, final long epochMillis)
    {
        final long epochSecond = Math.floorDiv(epochMillis, 1000L);
        Second current = second;
        if (current.epochSecond() != epochSecond)
        {
            final String text = Instant.ofEpochSecond(epochSecond).truncatedTo(ChronoUnit.SECONDS).toString();
            current = new Second(epochSecond, text.substring(0, text.length() - 1));
            second = current;
        }
        final int millis = (int)Math.floorMod(epochMillis, 1000L);
        sb.append(current.prefix()).append('.')
            .append((char)('0' + millis / 100)).append((char)('0' + millis / 10 % 10)).append((char)('0' + millis % 10))
            .append('Z');
    }

    private static void field(final StringBuilder sb, final String name, final CharSequence value)
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
                sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
