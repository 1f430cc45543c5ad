package dev.conduit.cli.serve;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** serve's default store size: a quarter of the free space, capped, rounded to a number people repeat. */
class StoreSizingTest
{
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void shouldTakeAQuarterOfTheFreeSpaceRoundedDownToWholeGib()
    {
        assertEquals(5 * GIB, StoreSizing.defaultSize(23 * GIB));
    }

    @Test
    void shouldCapAtSixteenGib()
    {
        assertEquals(16 * GIB, StoreSizing.defaultSize(10_000 * GIB));
    }

    @Test
    void shouldRoundToSixtyFourMibBelowOneGib()
    {
        assertEquals(640 * MIB, StoreSizing.defaultSize(2600 * MIB));
    }

    @Test
    void shouldRefuseWhenAQuarterIsUnderSixtyFourMib()
    {
        final ConduitException e = assertThrows(ConduitException.class, () -> StoreSizing.defaultSize(200 * MIB));
        assertEquals(ErrorCode.NO_SPACE, e.code());
    }
}
