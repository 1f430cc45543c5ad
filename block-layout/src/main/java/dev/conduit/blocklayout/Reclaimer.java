package dev.conduit.blocklayout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Epoch-based reclamation of replaced and deleted extents: space is handed back to the allocator
 * only when no reader that could still hold the old record is active, so a reader of version N
 * never sees bytes of version N+1 written into N's extents.
 *
 * <p>Assumptions and guarantees: a reader calls {@link #enter()} before it looks the key up and
 * {@link #exit(long)} when it has read its last byte. A retired extent list is released by
 * {@link #drain()} once every reader that entered before the retirement has exited. Readers never
 * block; a long reader only delays reuse.
 */
final class Reclaimer
{
    private record Retired(long epoch, List<Extent> extents)
    {
    }

    private final AtomicLong epoch = new AtomicLong(1);
    private final AtomicLong tickets = new AtomicLong();
    private final ConcurrentHashMap<Long, Long> activeReaders = new ConcurrentHashMap<>();
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();

    /** @return a ticket for {@link #exit(long)}. */
    long enter()
    {
        final long ticket = tickets.incrementAndGet();
        activeReaders.put(ticket, epoch.get());
        return ticket;
    }

    /**
     * @param ticket from {@link #enter()}.
     */
    void exit(final long ticket)
    {
        activeReaders.remove(ticket);
    }

    /**
     * Called after the catalog no longer references {@code extents}.
     *
     * @param extents space of a replaced or deleted version.
     */
    synchronized void retire(final List<Extent> extents)
    {
        if (!extents.isEmpty())
        {
            retired.add(new Retired(epoch.getAndIncrement(), extents));
        }
    }

    /** @return extents no active reader can reach any more (removed from the queue). */
    synchronized List<Extent> drain()
    {
        if (retired.isEmpty())
        {
            return List.of();
        }
        long oldestReader = Long.MAX_VALUE;
        for (final Long e : activeReaders.values())
        {
            oldestReader = Math.min(oldestReader, e);
        }
        final List<Extent> free = new ArrayList<>();
        while (!retired.isEmpty() && retired.peekFirst().epoch() < oldestReader)
        {
            free.addAll(retired.pollFirst().extents());
        }
        return free;
    }

    /** @return extents still waiting for readers. */
    synchronized long pendingExtentLists()
    {
        return retired.size();
    }
}
