package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocatorTest
{
    private static Allocator allocator(final int namespaces, final long dataBytes)
    {
        final List<SpaceMap> maps = new ArrayList<>();
        for (int i = 0; i < namespaces; i++)
        {
            maps.add(new SpaceMap(i, MIB, dataBytes, StoreGeometry.DEFAULT.blocksPerUnit()));
        }
        return new Allocator(maps, StoreGeometry.DEFAULT);
    }

    @Test
    void shouldPackSmallObjectsIntoSlotsOfOneUnit()
    {
        final Allocator a = allocator(1, 8 * MIB);
        final Set<Long> units = new HashSet<>();
        for (int i = 0; i < 256; i++)
        {
            final ObjectLayout l = a.allocate(100);
            final Extent e = l.extents().getFirst();
            assertEquals(4096, e.lengthBytes());
            units.add(e.offsetBytes() / MIB);
        }
        assertEquals(1, units.size(), "256 one-slot objects fill exactly one 1 MiB slab");
        assertEquals(1, a.report().namespaces().getFirst().usedBytes() / MIB);
    }

    @Test
    void shouldAlignLargeExtentsAndStripeThem()
    {
        final Allocator a = allocator(3, 16 * MIB);
        a.allocate(10);
        final ObjectLayout l = a.allocate(5 * MIB + 1);
        assertEquals(3, l.columns().size());
        final Set<Integer> namespaces = new HashSet<>();
        long total = 0;
        for (final Column c : l.columns())
        {
            namespaces.add(c.namespaceIndex());
            assertEquals(1, c.extents().size());
            assertEquals(0, c.extents().getFirst().offsetBytes() % MIB, "column starts on a unit boundary");
            total += c.lengthBytes();
        }
        assertEquals(3, namespaces.size());
        assertEquals(5 * MIB + 4096, total, "columns are rounded up to 4 KiB, not to the unit");
    }

    @Test
    void shouldReuseTailsOfLargeExtentsForSmallObjects()
    {
        final Allocator a = allocator(1, 4 * MIB);
        final ObjectLayout large = a.allocate(100 * 1024);
        final ObjectLayout small = a.allocate(1000);
        final Extent l = large.extents().getFirst();
        final Extent s = small.extents().getFirst();
        assertEquals(l.offsetBytes() / MIB, s.offsetBytes() / MIB, "the small object lands in the large one's tail");
        assertTrue(s.offsetBytes() >= l.endBytes());
    }

    @Test
    void shouldRefuseWithNoSpaceAndRecoverAfterFree()
    {
        final Allocator a = allocator(2, 2 * MIB);
        final List<ObjectLayout> taken = new ArrayList<>();
        final ConduitException e = assertThrows(ConduitException.class, () ->
        {
            while (true)
            {
                taken.add(a.allocate(MIB));
            }
        });
        assertEquals(ErrorCode.NO_SPACE, e.code());
        assertEquals(4, taken.size());
        a.free(taken.getFirst().extents());
        a.allocate(MIB);
    }

    @Test
    void shouldSplitColumnsWhenNoRunIsLongEnoughAndReportFragmentation()
    {
        final Allocator a = allocator(1, 8 * MIB);
        final List<ObjectLayout> units = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            units.add(a.allocate(MIB));
        }
        for (int i = 0; i < 8; i += 2)
        {
            a.free(units.get(i).extents());
        }
        assertEquals(0.0, a.report().fragmentation(), 1e-9);
        final ObjectLayout split = a.allocate(3 * MIB);
        assertEquals(3, split.columns().getFirst().extents().size());
        assertEquals(1, a.fragmentedColumns());
        final ObjectLayout small = a.allocate(4096);
        assertTrue(a.report().fragmentation() > 0.9, "only a slab with 255 free slots is left: " + a.report().fragmentation());
        a.free(small.extents());
    }

    @Test
    void shouldKeepTheCheckpointReserveFromUserWrites()
    {
        final Allocator a = allocator(1, 4 * MIB);
        a.reserve(3 * MIB);
        a.allocate(MIB);
        assertEquals(ErrorCode.NO_SPACE, assertThrows(ConduitException.class, () -> a.allocate(4096)).code());
        assertEquals(3 * MIB, a.allocateCheckpoint(3 * MIB).stream().mapToLong(Extent::lengthBytes).sum());
    }

    @Test
    void shouldDetectOverlapsWhenRebuilding()
    {
        final Allocator a = allocator(1, 4 * MIB);
        assertTrue(a.markUsed(0, MIB, 8192));
        assertFalse(a.markUsed(0, MIB + 4096, 4096), "overlap");
        assertFalse(a.markUsed(0, 0, 4096), "before the data region");
        assertFalse(a.markUsed(0, 5 * MIB, 4096), "past the data region");
        assertFalse(a.markUsed(3, MIB, 4096), "no such namespace");
        assertFalse(a.markUsed(0, MIB + 100, 4096), "unaligned");
    }
}
