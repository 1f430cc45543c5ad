package dev.conduit.objecttier.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link HttpDates}: the per-second Date header cache answers exactly what formatting would. */
class HttpDatesTest
{
    @Test
    void shouldFormatOncePerSecondAndFollowTheClock()
    {
        final long second = 1_764_633_600_000L;
        final String first = HttpDates.formatNow(second + 1);
        assertEquals("Tue, 02 Dec 2025 00:00:00 GMT", first);
        assertSame(first, HttpDates.formatNow(second + 999), "same second: the cached text");
        assertEquals("Tue, 02 Dec 2025 00:00:01 GMT", HttpDates.formatNow(second + 1000));
        assertEquals("Mon, 01 Dec 2025 23:59:59 GMT", HttpDates.formatNow(second - 1));
        assertEquals(HttpDates.format(second + 1000), HttpDates.formatNow(second + 1500));
    }
}
