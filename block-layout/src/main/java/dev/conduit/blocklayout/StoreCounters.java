package dev.conduit.blocklayout;

import java.util.concurrent.atomic.AtomicLongArray;

/** The values of {@link StoreCounter}s of one store: one atomic slot per stable id. */
final class StoreCounters
{
    private final AtomicLongArray values = new AtomicLongArray(StoreCounter.values().length);

    void increment(final StoreCounter counter)
    {
        values.incrementAndGet(counter.id());
    }

    void add(final StoreCounter counter, final long delta)
    {
        values.addAndGet(counter.id(), delta);
    }

    long get(final StoreCounter counter)
    {
        return values.get(counter.id());
    }
}
