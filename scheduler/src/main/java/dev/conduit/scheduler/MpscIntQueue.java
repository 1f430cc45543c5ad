package dev.conduit.scheduler;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded many-producer, one-consumer queue of non-negative {@code int}s (task indices), after
 * Vyukov's bounded queue: each slot carries a sequence number that says whether it is free for the
 * producer of lap {@code n} or full for the consumer. No locks, no allocation after construction.
 *
 * <p>Threading: {@link #offer} from any thread; {@link #poll} and {@link #isEmpty} only from the
 * single consumer thread.
 */
final class MpscIntQueue
{
    private final int mask;
    private final int[] values;
    private final AtomicLongArray sequences;
    private final AtomicLong tail = new AtomicLong();
    private long head;

    /**
     * @param capacity at least this many entries (rounded up to a power of two).
     */
    MpscIntQueue(final int capacity)
    {
        final int size = Math.max(2, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1);
        this.mask = size - 1;
        this.values = new int[size];
        this.sequences = new AtomicLongArray(size);
        for (int i = 0; i < size; i++)
        {
            sequences.set(i, i);
        }
    }

    int capacity()
    {
        return mask + 1;
    }

    /**
     * @param value a value {@code >= 0}.
     * @return false when the queue is full.
     */
    boolean offer(final int value)
    {
        while (true)
        {
            final long position = tail.get();
            final int index = (int)position & mask;
            final long sequence = sequences.getAcquire(index);
            final long difference = sequence - position;
            if (difference == 0)
            {
                if (tail.compareAndSet(position, position + 1))
                {
                    values[index] = value;
                    sequences.setRelease(index, position + 1);
                    return true;
                }
            }
            else if (difference < 0)
            {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /** @return the oldest value, or -1 when empty. */
    int poll()
    {
        final long position = head;
        final int index = (int)position & mask;
        if (sequences.getAcquire(index) != position + 1)
        {
            return -1;
        }
        final int value = values[index];
        sequences.setRelease(index, position + mask + 1);
        head = position + 1;
        return value;
    }

    boolean isEmpty()
    {
        return sequences.getAcquire((int)head & mask) != head + 1;
    }
}
