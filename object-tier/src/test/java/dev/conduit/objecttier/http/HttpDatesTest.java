package dev.conduit.objecttier.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HttpDatesTest
{
    @Test
    void shouldFormatEveryTimeOfItsOwnSecondEvenWhenTimesAlternate()
    {
        final long a = Instant.parse("2008-06-03T11:05:30.999Z").toEpochMilli();
        final long b = Instant.parse("2026-12-02T00:00:01.000Z").toEpochMilli();
        for (int i = 0; i < 3; i++)
        {
            assertEquals("Tue, 03 Jun 2008 11:05:30 GMT", HttpDates.format(a));
            assertEquals("Tue, 03 Jun 2008 11:05:30 GMT", HttpDates.format(a - 999));
            assertEquals("Tue, 03 Jun 2008 11:05:31 GMT", HttpDates.format(a + 1));
            assertEquals("Wed, 02 Dec 2026 00:00:01 GMT", HttpDates.format(Instant.ofEpochMilli(b)));
        }
    }

    @Test
    void shouldFormatOncePerSecondAndFollowTheClock()
    {
        final long second = 1_764_633_600_000L;
        final String first = HttpDates.format(second + 1);
        assertEquals("Tue, 02 Dec 2025 00:00:00 GMT", first);
        assertSame(first, HttpDates.format(second + 999), "same second: the cached text");
        assertEquals("Tue, 02 Dec 2025 00:00:01 GMT", HttpDates.format(second + 1000));
        assertEquals("Mon, 01 Dec 2025 23:59:59 GMT", HttpDates.format(second - 1));
    }

    @Test
    void shouldRoundTripThroughTheParserForTimesBeforeTheEpoch()
    {
        final long before = Instant.parse("1969-12-31T23:59:59.500Z").toEpochMilli();
        final String text = HttpDates.format(before);
        assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(-1).atOffset(ZoneOffset.UTC)), text);
        assertEquals(Instant.ofEpochSecond(-1), HttpDates.parse(text));
    }
}
