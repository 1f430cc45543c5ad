package dev.conduit.bench;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SizesTest
{
    @Test
    void shouldParseSizesWithBinaryUnits()
    {
        assertEquals(4096, Sizes.parseBytes("4k"));
        assertEquals(1 << 20, Sizes.parseBytes("1M"));
        assertEquals(2L << 30, Sizes.parseBytes("2g"));
        assertEquals(2L << 30, Sizes.parseBytes("2GiB"));
        assertEquals(16L << 20, Sizes.parseBytes("16mb"));
        assertEquals(512, Sizes.parseBytes("512"));
        assertEquals(1L << 40, Sizes.parseBytes("1t"));
    }

    @Test
    void shouldRejectMalformedSizes()
    {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("k"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("1x"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("-4k"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseBytes("99999999999t"));
    }

    @Test
    void shouldParseDurations()
    {
        assertEquals(10_000_000_000L, Sizes.parseDurationNs("10s"));
        assertEquals(500_000_000L, Sizes.parseDurationNs("500ms"));
        assertEquals(120_000_000_000L, Sizes.parseDurationNs("2m"));
        assertEquals(30_000_000_000L, Sizes.parseDurationNs("30"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseDurationNs("0s"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseDurationNs("soon"));
    }

    @Test
    void shouldFormatSizesAsFioReadsThem()
    {
        assertEquals("4k", Sizes.fioSize(4096));
        assertEquals("1m", Sizes.fioSize(1 << 20));
        assertEquals("3g", Sizes.fioSize(3L << 30));
        assertEquals("1536k", Sizes.fioSize(1536 << 10));
        assertEquals("1000", Sizes.fioSize(1000));
    }
}
