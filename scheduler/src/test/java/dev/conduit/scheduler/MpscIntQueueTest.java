package dev.conduit.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MpscIntQueueTest
{
    @Test
    void shouldKeepFifoOrderAndRefuseWhenFull()
    {
        final MpscIntQueue queue = new MpscIntQueue(3);
        assertEquals(4, queue.capacity());
        assertTrue(queue.isEmpty());
        for (int i = 0; i < 4; i++)
        {
            assertTrue(queue.offer(i));
        }
        assertFalse(queue.offer(9), "full");
        for (int lap = 0; lap < 3; lap++)
        {
            for (int i = 0; i < 4; i++)
            {
                assertEquals(lap * 4 + i, queue.poll());
                assertTrue(queue.offer(lap * 4 + i + 4));
            }
        }
        assertFalse(queue.isEmpty());
    }

    @Test
    void shouldDeliverEveryValueFromManyProducersExactlyOnce() throws InterruptedException
    {
        final MpscIntQueue queue = new MpscIntQueue(64);
        final int producers = 4;
        final int perProducer = 100_000;
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() ->
            {
                for (int i = 0; i < perProducer; i++)
                {
                    while (!queue.offer(base + i))
                    {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        final int[] nextExpected = new int[producers];
        for (int received = 0; received < producers * perProducer; )
        {
            final int v = queue.poll();
            if (v < 0)
            {
                Thread.onSpinWait();
                continue;
            }
            final int producer = v / perProducer;
            assertEquals(producer * perProducer + nextExpected[producer], v, "per-producer order");
            nextExpected[producer]++;
            received++;
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(-1, queue.poll());
    }
}
