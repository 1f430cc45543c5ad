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

    // Every response carries Date and a GET or HEAD Last-Modified, both at one-second resolution: a
    // small direct-mapped cache of formatted seconds (one slot per second modulo its size) keeps the
    // current second and the seconds objects were written in without running the formatter per response.
    // Slots hold immutable records, so a racing reader sees either the old or the new one, both whole.
    private static final int CACHE_SLOTS = 256;
    private static final FormattedSecond[] FORMATTED = new FormattedSecond[CACHE_SLOTS];

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
        final int slot = (int)Math.floorMod(epochSecond, (long)CACHE_SLOTS);
        final FormattedSecond cached = FORMATTED[slot];
        if (cached != null && cached.epochSecond() == epochSecond)
        {
            return cached.text();
        }
        final String text = WRITE.format(Instant.ofEpochSecond(epochSecond));
        FORMATTED[slot] = new FormattedSecond(epochSecond, text);
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
