package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retired extents wait for every reader that entered before the retirement, whether the reader
 * holds a slot or (every slot taken) an overflow entry; readers that entered after it do not
 * hold it back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReclaimerTest
{
    private static final List<Extent> OLD = List.of(new Extent(0, 4096, 8192));

    @Test
    void shouldKeepRetiredExtentsUntilTheReaderThatEnteredBeforeExits()
    {
        final Reclaimer reclaimer = new Reclaimer();
        final long early = reclaimer.enter();
        assertTrue(early <= Reclaimer.SLOTS, "a lone reader should get a slot: " + early);
        reclaimer.retire(OLD);
        final long late = reclaimer.enter();
        assertEquals(List.of(), reclaimer.drain());
        reclaimer.exit(early);
        assertEquals(OLD, reclaimer.drain(), "the reader that entered after the retirement must not hold it");
        reclaimer.exit(late);
        assertEquals(0, reclaimer.pendingExtentLists());
    }

    @Test
    void shouldGiveOneThreadsManyReadersSlotsNotOverflowEntries()
    {
        final Reclaimer reclaimer = new Reclaimer();
        final List<Long> tickets = new ArrayList<>();
        // A Loader's read-ahead holds dozens of shards open from one thread; each open must stay allocation-free.
        for (int i = 0; i < 100; i++)
        {
            tickets.add(reclaimer.enter());
        }
        assertTrue(tickets.stream().allMatch(t -> t <= Reclaimer.SLOTS), "every reader should get a slot: " + tickets);
        assertEquals(100, tickets.stream().distinct().count(), "each reader its own slot: " + tickets);
        tickets.forEach(reclaimer::exit);
    }

    @Test
    void shouldHoldRetiredExtentsForOverflowReadersToo()
    {
        final Reclaimer reclaimer = new Reclaimer();
        final List<Long> tickets = new ArrayList<>();
        // More readers at once than there are slots spill into the overflow map.
        for (int i = 0; i < Reclaimer.SLOTS + 64; i++)
        {
            tickets.add(reclaimer.enter());
        }
        assertTrue(tickets.stream().anyMatch(t -> t > Reclaimer.SLOTS), "some readers should overflow: " + tickets);
        reclaimer.retire(OLD);
        for (final long ticket : tickets)
        {
            assertEquals(List.of(), reclaimer.drain(), "a reader that entered before the retirement is still active");
            reclaimer.exit(ticket);
        }
        assertEquals(OLD, reclaimer.drain());
        // Every slot was given back: a new reader gets one again.
        final long again = reclaimer.enter();
        assertTrue(again <= Reclaimer.SLOTS, "slots should have been freed: " + again);
        reclaimer.exit(again);
    }
}
