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

    /** The Date header of the current second: formatting allocates, and every response carries one. */
    private static volatile SecondText current = new SecondText(Long.MIN_VALUE, "");

    private HttpDates()
    {
    }

    /**
     * @param epochMillis now.
     * @return it as an HTTP date, formatted once per second (racing threads may both format it; either result is right).
     */
    static String formatNow(final long epochMillis)
    {
        final long epochSecond = Math.floorDiv(epochMillis, 1000L);
        SecondText text = current;
        if (text.epochSecond() != epochSecond)
        {
            text = new SecondText(epochSecond, format(epochMillis));
            current = text;
        }
        return text.text();
    }

    /**
     * @param epochMillis a time.
     * @return it as an HTTP date.
     */
    static String format(final long epochMillis)
    {
        return WRITE.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * @param instant a time.
     * @return it as an HTTP date.
     */
    static String format(final Instant instant)
    {
        return WRITE.format(instant);
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

    private record SecondText(long epochSecond, String text)
    {
    }
}
