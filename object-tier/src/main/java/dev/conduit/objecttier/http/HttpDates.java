package dev.conduit.objecttier.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates as S3 writes them ({@code Tue, 03 Jun 2008 11:05:30 GMT}: two-digit day, always GMT)
 * and as clients send them (RFC 1123, with a one- or two-digit day).
 */
final class HttpDates
{
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        Locale.US)
        .withZone(ZoneOffset.UTC);

    // Every response carries Date and most carry Last-Modified, both at one-second resolution:
    // remember the last second formatted instead of running the formatter per response.
    private static volatile FormattedSecond lastFormatted = new FormattedSecond(Long.MIN_VALUE, "");

    private record FormattedSecond(long epochSecond, String text)
    {
    }

    private HttpDates()
    {
    }

    /**
     * @param epochMillis a time.
     * @return it as an HTTP date.
     */
    static String format(final long epochMillis)
    {
        final long epochSecond = Math.floorDiv(epochMillis, 1000L);
        final FormattedSecond last = lastFormatted;
        if (last.epochSecond() == epochSecond)
        {
            return last.text();
        }
        final String text = WRITE.format(Instant.ofEpochSecond(epochSecond));
        lastFormatted = new FormattedSecond(epochSecond, text);
        return text;
    }

    /**
     * @param instant a time.
     * @return it as an HTTP date.
     */
    static String format(final Instant instant)
    {
        return format(instant.toEpochMilli());
    }

    /**
     * @param value an HTTP date header value.
     * @return the time, or {@code null} when it does not parse (S3 then ignores the header).
     */
    static Instant parse(final String value)
    {
        if (value == null)
        {
            return null;
        }
        try
        {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        }
        catch (final DateTimeParseException e)
        {
            return null;
        }
    }
}
