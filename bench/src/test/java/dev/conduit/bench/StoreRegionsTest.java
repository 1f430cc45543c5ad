package dev.conduit.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.Column;
import dev.conduit.blocklayout.Extent;
import dev.conduit.blocklayout.ObjectLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** fio reads only the object's own blocks: one region per run of adjacent extents, never the gaps between. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoreRegionsTest
{
    private static final long MIB = 1 << 20;

    @Test
    void shouldCoverOnlyTheObjectsOwnBlocks()
    {
        final Path ns0 = Path.of("ns-000.cdt");
        final Path ns1 = Path.of("ns-001.cdt");
        // Column 0 has a hole (4..8 MiB belongs to another object); column 1's two extents touch.
        final ObjectLayout layout = new ObjectLayout(20, List.of(
            new Column(0, List.of(new Extent(0, 8 * MIB, 4 * MIB), new Extent(0, 0, 4 * MIB))),
            new Column(1, List.of(new Extent(1, 0, 2 * MIB), new Extent(1, 2 * MIB, 2 * MIB)))));
        assertEquals(List.of(new Region(ns0, 0, 4 * MIB), new Region(ns0, 8 * MIB, 4 * MIB), new Region(ns1, 0, 4 * MIB)),
            StoreBench.regions(List.of(ns0, ns1), layout));
    }
}
