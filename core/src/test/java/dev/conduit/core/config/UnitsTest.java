package dev.conduit.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class UnitsTest
{
    @Test
    void shouldParseBinarySizesWithOptionalSuffix()
    {
        assertEquals(4096, Units.parseBytes("4k"));
        assertEquals(1L << 20, Units.parseBytes("1M"));
        assertEquals(2L << 30, Units.parseBytes("2GiB"));
        assertEquals(1L << 40, Units.parseBytes("1tb"));
        assertEquals(8192, Units.parseBytes(" 8192 "));
    }

    @Test
    void shouldParseDurationsToNanoseconds()
    {
        assertEquals(30_000_000_000L, Units.parseDurationNs("30s"));
        assertEquals(5_000_000L, Units.parseDurationNs("5ms"));
        assertEquals(100_000L, Units.parseDurationNs("100us"));
        assertEquals(250L, Units.parseDurationNs("250ns"));
        assertEquals(250L, Units.parseDurationNs("250"));
        assertEquals(120_000_000_000L, Units.parseDurationNs("2m"));
        assertEquals(3_600_000_000_000L, Units.parseDurationNs("1h"));
    }

    @Test
    void shouldRefuseNonsenseNegativeAndOverflowQuotingTheInput()
    {
        assertEquals("not a size (e.g. 4k, 1m, 2g or bytes): '4x'",
            assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("4x")).getMessage());
        assertEquals("out of range: '-1k'", assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("-1k")).getMessage());
        assertEquals("out of range: '9999999999999t'",
            assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("9999999999999t")).getMessage());
        assertEquals("not a duration (e.g. 30s, 5ms, 100us or nanoseconds): '1d'",
            assertThrows(IllegalArgumentException.class, () -> Units.parseDurationNs("1d")).getMessage());
        assertEquals("not an integer: '3.5'", assertThrows(IllegalArgumentException.class, () -> Units.parseInt("3.5")).getMessage());
    }
}
