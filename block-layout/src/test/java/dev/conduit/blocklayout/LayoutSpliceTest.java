package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The geometry rules of joining part layouts in place: what is accepted (and how columns and CRCs
 * join, adjacent extents merged) and each reason to fall back to copying, including the u16 limit
 * on a column's extent count.
 */
class LayoutSpliceTest
{
    private static final int SHIFT = 20;

    @Test
    void shouldJoinColumnsMergingAdjacentExtentsAndConcatenateCrcs()
    {
        final ObjectRecord a = part(2 * MIB * 2, 20, column(1, 10 * MIB, 2 * MIB), column(0, 40 * MIB, 2 * MIB));
        final ObjectRecord b = part(2 * MIB * 2, 20, column(1, 12 * MIB, 2 * MIB), column(0, 60 * MIB, 2 * MIB));
        final ObjectRecord last = part(MIB + 5, 20, column(1, 30 * MIB, MIB), column(0, 70 * MIB, 4096));
        final LayoutSplice.Spliced s = LayoutSplice.trySplice(List.of(a, b, last));
        assertNotNull(s);
        assertEquals(List.of(new Extent(1, 10 * MIB, 4 * MIB), new Extent(1, 30 * MIB, MIB)), s.layout().columns().get(0).extents());
        assertEquals(List.of(new Extent(0, 40 * MIB, 2 * MIB), new Extent(0, 60 * MIB, 2 * MIB), new Extent(0, 70 * MIB, 4096)),
            s.layout().columns().get(1).extents());
        assertEquals(a.chunkCount() + b.chunkCount() + last.chunkCount(), s.chunkCrcs().length);
        assertEquals(b.chunkCrc(0), s.chunkCrcs()[a.chunkCount()]);
        assertEquals(last.chunkCrc(1), s.chunkCrcs()[s.chunkCrcs().length - 1]);
    }

    @Test
    void shouldAcceptASmallLastPartInTheFirstColumnOnly()
    {
        final ObjectRecord a = part(2 * MIB, 20, column(1, 0, MIB), column(0, 0, MIB));
        assertNotNull(LayoutSplice.trySplice(List.of(a, part(100, 20, column(1, 50 * MIB, 4096)))));
        assertNull(LayoutSplice.trySplice(List.of(a, part(100, 20, column(0, 50 * MIB, 4096)))), "bytes would land on the wrong namespace");
    }

    @Test
    void shouldRefusePartsThatDoNotEndOnARowAndChunkBoundary()
    {
        final ObjectRecord last = part(10, 20, column(0, 90 * MIB, 4096));
        assertNull(LayoutSplice.trySplice(List.of(part(5_000_000, 20, column(0, 0, 5_001_216)), last)), "not whole chunks");
        assertNull(LayoutSplice.trySplice(List.of(part(3 * MIB, 20, column(0, 0, 2 * MIB), column(1, 0, MIB)), last)), "not whole rows");
        assertNull(LayoutSplice.trySplice(List.of(part(2 * MIB, 21, column(0, 0, 2 * MIB)), last)), "chunk sizes differ");
        assertNull(LayoutSplice.trySplice(List.of(part(2 * MIB, 20, column(0, 0, 3 * MIB)), last)), "column longer than its data");
        assertNotNull(LayoutSplice.trySplice(List.of(part(2 * MIB, 20, column(0, 0, 2 * MIB)), last)));
    }

    @Test
    void shouldRefuseMoreExtentsPerColumnThanTheRecordCanCount()
    {
        final int perPart = 40_000;
        final List<ObjectRecord> parts = new ArrayList<>();
        for (int p = 0; p < 2; p++)
        {
            final List<Extent> extents = new ArrayList<>();
            for (int i = 0; i < perPart; i++)
            {
                extents.add(new Extent(0, (p * perPart + i) * 8192L, 4096));
            }
            parts.add(part(perPart * 4096L, 12, new Column(0, extents)));
        }
        assertNull(LayoutSplice.trySplice(parts), "80,000 separate extents in one column");
        assertNotNull(LayoutSplice.trySplice(parts.subList(0, 1)));
    }

    @Test
    void shouldJoinEmptyParts()
    {
        final ObjectRecord empty = part(0, 20);
        final ObjectRecord middle = part(MIB, 20, column(0, 0, MIB));
        final LayoutSplice.Spliced s = LayoutSplice.trySplice(List.of(empty, middle, empty));
        assertNotNull(s);
        assertArrayEquals(new int[] {middle.chunkCrc(0)}, s.chunkCrcs());
        assertEquals(0, LayoutSplice.trySplice(List.of(empty, empty)).layout().columns().size());
    }

    @Test
    void shouldMergeChunkCrcsLikeAPutOfTheSameBytesWhenThereAreTooMany()
    {
        final byte[] a = content(1, 8 * 4096);
        final byte[] b = content(2, 4 * 4096 + 1000);
        final ObjectRecord partA = realPart(a, new Extent(0, 0, a.length));
        final ObjectRecord partB = realPart(b, new Extent(0, 1 << 20, 5 * 4096));
        final LayoutSplice.Spliced s = LayoutSplice.trySplice(List.of(partA, partB), 4);
        assertNotNull(s);
        assertEquals(14, s.chunkShift(), "13 chunks of 4 KiB fold twice to fit in 4");
        final byte[] all = ComposeTest.concat(List.of(a, b));
        final int[] expected = new int[4];
        for (int i = 0; i < expected.length; i++)
        {
            final CRC32C crc = new CRC32C();
            crc.update(all, i << 14, Math.min(1 << 14, all.length - (i << 14)));
            expected[i] = (int)crc.getValue();
        }
        assertArrayEquals(expected, s.chunkCrcs());
        assertEquals(List.of(new Extent(0, 0, a.length), new Extent(0, 1 << 20, 5 * 4096)), s.layout().columns().getFirst().extents());
    }

    /** A one-column part with 4 KiB stripe units and chunks, and the true CRC-32C of each chunk of {@code data}. */
    private static ObjectRecord realPart(final byte[] data, final Extent extent)
    {
        final int chunks = (data.length + 4095) / 4096;
        final int[] crcs = new int[chunks];
        for (int i = 0; i < chunks; i++)
        {
            final CRC32C crc = new CRC32C();
            crc.update(data, i * 4096, Math.min(4096, data.length - i * 4096));
            crcs[i] = (int)crc.getValue();
        }
        return new ObjectRecord("p", 1, data.length, 0, new byte[16], "", Map.of(), 12, crcs,
            new ObjectLayout(12, List.of(new Column(0, List.of(extent)))), 0);
    }

    private static Column column(final int ns, final long offset, final long length)
    {
        return new Column(ns, List.of(new Extent(ns, offset, length)));
    }

    /** A part of {@code size} bytes; chunk CRCs are their indices plus a size-derived tag. */
    private static ObjectRecord part(final long size, final int chunkShift, final Column... columns)
    {
        final int chunks = (int)((size + (1L << chunkShift) - 1) >>> chunkShift);
        final int[] crcs = new int[chunks];
        for (int i = 0; i < chunks; i++)
        {
            crcs[i] = (int)size * 31 + i;
        }
        return new ObjectRecord("p", 1, size, 0, new byte[16], "", Map.of(), chunkShift, crcs, new ObjectLayout(SHIFT, List.of(columns)), 0);
    }
}
