package dev.conduit.objecttier.auth;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** SigV4 timestamps, {@code yyyyMMdd'T'HHmmss'Z'}, to and from epoch seconds. */
final class AmzDate
{
    /** Returned by the parsers for text that is not a date. */
    static final long INVALID = Long.MIN_VALUE;

    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);

    private AmzDate()
    {
    }

    /** @return the epoch second of an x-amz-date value, or {@link #INVALID}. */
    static long parseAmz(final String text)
    {
        if (text == null || text.length() != 16 || text.charAt(8) != 'T' || text.charAt(15) != 'Z')
        {
            return INVALID;
        }
        final int year = digits(text, 0, 4);
        final int month = digits(text, 4, 6);
        final int day = digits(text, 6, 8);
        final int hour = digits(text, 9, 11);
        final int minute = digits(text, 11, 13);
        final int second = digits(text, 13, 15);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 ||
            day > YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59 || second > 59)
        {
            return INVALID;
        }
        return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second;
    }

    /** @return the epoch second of an RFC 1123 Date header, or {@link #INVALID}. */
    static long parseHttpDate(final String text)
    {
        try
        {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        }
        catch (final DateTimeParseException ex)
        {
            return INVALID;
        }
    }

    /** @return {@code epochSecond} as {@code yyyyMMdd'T'HHmmss'Z'}. */
    static String format(final long epochSecond)
    {
        return AMZ.format(Instant.ofEpochSecond(epochSecond));
    }

    private static int digits(final String text, final int from, final int to)
    {
        int value = 0;
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
