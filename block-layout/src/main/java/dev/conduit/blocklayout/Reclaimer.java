package dev.conduit.blocklayout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Epoch-based reclamation of replaced and deleted extents: space is handed back to the allocator
 * only when no reader that could still hold the old record is active, so a reader of version N
 * never sees bytes of version N+1 written into N's extents.
 *
 * <p>Assumptions and guarantees: a reader calls {@link #enter()} before it looks the key up and
 * {@link #exit(long)} when it has read its last byte. A retired extent list is released by
 * {@link #drain()} once every reader that entered before the retirement has exited. Readers never
 * block; a long reader only delays reuse.
 *
 * <p>A reader's epoch is held in one slot of a fixed array (claimed by compare-and-set at the first
 * free slot from one derived from the thread, released by a plain store), so opening an object
 * allocates nothing here. The probe runs over the whole array, not a short run of it: one thread
 * may hold dozens of readers at once (a Loader's read-ahead keeps that many shards open), and a
 * short run sent its later ones to the overflow map, a boxed ticket and epoch per open. Only when
 * every slot is taken does a reader go there.
 */
final class Reclaimer
{
    private record Retired(long epoch, List<Extent> extents)
    {
    }

    /** Reader slots; a ticket up to this number is a slot (ticket - 1), above it an overflow entry. */
    static final int SLOTS = 1024;

    private final AtomicLong epoch = new AtomicLong(1);
    private final AtomicLong tickets = new AtomicLong(SLOTS);
    /** The epoch each active reader entered in; 0 = free (epochs start at 1). */
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);
    private final ConcurrentHashMap<Long, Long> overflowReaders = new ConcurrentHashMap<>();
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();

    /** @return a ticket for {@link #exit(long)}. */
    long enter()
    {
        final long current = epoch.get();
        final int start = (int)(Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L >>> 54);
        for (int i = 0; i < SLOTS; i++)
        {
            final int slot = (start + i) & (SLOTS - 1);
            if (slots.get(slot) == 0 && slots.compareAndSet(slot, 0, current))
            {
                return slot + 1;
            }
        }
        final long ticket = tickets.incrementAndGet();
        overflowReaders.put(ticket, current);
        return ticket;
    }

    /**
     * @param ticket from {@link #enter()}.
     */
    void exit(final long ticket)
    {
        if (ticket <= SLOTS)
        {
            slots.set((int)ticket - 1, 0);
        }
        else
        {
            overflowReaders.remove(ticket);
        }
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
        for (int i = 0; i < SLOTS; i++)
        {
            final long e = slots.get(i);
            if (e != 0)
            {
                oldestReader = Math.min(oldestReader, e);
            }
        }
        for (final Long e : overflowReaders.values())
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
