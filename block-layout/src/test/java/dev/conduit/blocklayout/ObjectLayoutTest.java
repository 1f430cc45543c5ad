package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ObjectLayoutTest
{
    @Test
    void shouldMapStripeUnitsRoundRobinOverColumns()
    {
        final ObjectLayout layout = new ObjectLayout(20, List.of(
            new Column(0, List.of(new Extent(0, 10 * MIB, 2 * MIB))),
            new Column(1, List.of(new Extent(1, 20 * MIB, 2 * MIB)))));
        final List<long[]> pieces = new ArrayList<>();
        layout.forEachPiece(0, 4 * MIB, (ns, physical, logical, length) -> pieces.add(new long[] {ns, physical, logical, length}));
        assertEquals(4, pieces.size());
        assertArrayEquals(new long[] {0, 10 * MIB, 0, MIB}, pieces.get(0));
        assertArrayEquals(new long[] {1, 20 * MIB, MIB, MIB}, pieces.get(1));
        assertArrayEquals(new long[] {0, 11 * MIB, 2 * MIB, MIB}, pieces.get(2));
        assertArrayEquals(new long[] {1, 21 * MIB, 3 * MIB, MIB}, pieces.get(3));
    }

    @Test
    void shouldSplitPiecesAtExtentBoundariesOfAFragmentedColumn()
    {
        final ObjectLayout layout = new ObjectLayout(20, List.of(
            new Column(0, List.of(new Extent(0, 8 * MIB, 12288), new Extent(0, 3 * MIB, MIB)))));
        final List<long[]> pieces = new ArrayList<>();
        layout.forEachPiece(4096, 20000, (ns, physical, logical, length) -> pieces.add(new long[] {physical, logical, length}));
        assertArrayEquals(new long[] {8 * MIB + 4096, 4096, 8192}, pieces.get(0));
        assertArrayEquals(new long[] {3 * MIB, 12288, 20000 - 8192}, pieces.get(1));
    }

    @Test
    void shouldGiveEachColumnItsShareOfTheData()
    {
        assertArrayEquals(new long[] {2 * MIB, MIB + 5}, ObjectLayout.columnDataBytes(3 * MIB + 5, 2, 20));
        assertArrayEquals(new long[] {MIB, 5}, ObjectLayout.columnDataBytes(MIB + 5, 2, 20));
        assertArrayEquals(new long[] {100}, ObjectLayout.columnDataBytes(100, 1, 20));
    }
}
