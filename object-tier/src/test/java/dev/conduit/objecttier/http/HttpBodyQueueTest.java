package dev.conduit.objecttier.http;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload back-pressure contract: pause above the high-water mark, one resume at the low one, no buffer leaked. */
class HttpBodyQueueTest
{
    private final AtomicInteger resumes = new AtomicInteger();
    private final BodyQueue queue = new BodyQueue(1000, 250, resumes::incrementAndGet);

    private static ByteBuf bytes(final int n)
    {
        return Unpooled.directBuffer(n).writeZero(n);
    }

    @Test
    void shouldPauseAboveHighWaterAndResumeOnceAtLowWater()
    {
        final ByteBuf a = bytes(400);
        final ByteBuf b = bytes(400);
        final ByteBuf c = bytes(400);
        assertFalse(queue.offer(a));
        assertFalse(queue.offer(b));
        assertTrue(queue.offer(c), "1200 queued bytes are above the 1000 high-water mark");
        assertSame(a, queue.take());
        assertEquals(0, resumes.get(), "800 bytes are still above the low-water mark");
        assertSame(b, queue.take());
        assertEquals(0, resumes.get());
        assertSame(c, queue.take());
        assertEquals(1, resumes.get());
        queue.end();
        assertNull(queue.take());
        a.release();
        b.release();
        c.release();
    }

    @Test
    void shouldFailTheConsumerAndReleaseWhatIsQueued()
    {
        final ByteBuf a = bytes(10);
        final ByteBuf late = bytes(10);
        queue.offer(a);
        queue.fail(new ClientGoneException());
        assertThrows(ClientGoneException.class, queue::take);
        queue.discard();
        assertEquals(0, a.refCnt());
        queue.offer(late);
        assertEquals(0, late.refCnt(), "a buffer offered after discard is released at once");
    }

    @Test
    void shouldServeTheNextRequestAfterResetAsANewQueue()
    {
        final ByteBuf first = bytes(1200);
        assertTrue(queue.offer(first), "paused above the high-water mark");
        queue.fail(new ClientGoneException());
        queue.discard();
        assertEquals(0, first.refCnt());
        final ByteBuf next = bytes(400);
        assertFalse(queue.reset().offer(next), "neither paused nor failed nor discarded after reset");
        assertSame(next, queue.take());
        queue.end();
        assertNull(queue.take());
        next.release();
        final ByteBuf leftover = bytes(10);
        queue.reset().offer(leftover);
        queue.reset();
        assertEquals(0, leftover.refCnt(), "reset releases what an ended request left queued");
    }
}
