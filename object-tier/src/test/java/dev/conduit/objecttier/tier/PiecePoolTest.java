package dev.conduit.objecttier.tier;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The part memory of a cold client's fills: a budget parts reserve before their GETs start, and arrays used again. */
class PiecePoolTest
{
    @Test
    void shouldRefuseAPartWithoutWaitingOnceTheBudgetIsReservedAndGrantItWhenOneIsReleased() throws Exception
    {
        final PiecePool pool = new PiecePool(8);
        assertEquals(4, pool.piecesFor(1 << 20), "a 1 MiB part is four 256 KiB pieces");
        assertEquals(8, pool.piecesFor(64L << 20), "a part larger than the budget asks for all of it, never more");
        assertTrue(pool.reserve(4, false));
        assertTrue(pool.reserve(4, false));
        assertFalse(pool.reserve(1, false), "a fill holding parts is refused, not made to wait");

        final FutureTask<Boolean> waiter = new FutureTask<>(() -> pool.reserve(4, true));
        final Thread waiting = Thread.ofPlatform().start(waiter);
        // Parked in the semaphore: seen from the thread's state, not guessed from a sleep (looked at for 10 s at most).
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting.getState() != Thread.State.WAITING && System.nanoTime() < deadlineNs)
        {
            Thread.yield();
        }
        assertEquals(Thread.State.WAITING, waiting.getState());
        assertFalse(waiter.isDone(), "a fill holding no part waits for part memory");
        pool.release(4);
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
        assertFalse(pool.reserve(1, false), "the waiter holds what was released");
    }

    @Test
    void shouldHandTheSameArraysOutAgain()
    {
        final PiecePool pool = new PiecePool(4);
        final byte[] first = pool.take();
        final byte[] second = pool.take();
        assertNotSame(first, second);
        assertEquals(PiecePool.PIECE_BYTES, first.length);
        pool.give(List.of(ByteBuffer.wrap(first, 0, 10), ByteBuffer.wrap(new byte[100])));
        assertSame(first, pool.take(), "a given-back piece is reused; an array of another size is left alone");
        pool.give(second);
        assertSame(second, pool.take());
    }

    @Test
    void shouldReturnAPartsArraysAndReservationOnceWhetherReleasedOrAbandoned() throws Exception
    {
        final PiecePool pool = new PiecePool(4);
        assertTrue(pool.reserve(4, false));
        final byte[] array = pool.take();
        final ColdPart done = new ColdPart(CompletableFuture.completedFuture(List.of(ByteBuffer.wrap(array))), pool, 4);
        assertEquals(1, done.await().size());
        done.release();
        done.release();
        done.abandon();
        assertTrue(pool.reserve(4, false), "the reservation came back");
        assertFalse(pool.reserve(1, false), "once");
        assertSame(array, pool.take(), "and so did the array");
        pool.release(4);

        // A part that finished but whose turn never came: its arrays and reservation come back when the fill stops.
        assertTrue(pool.reserve(2, false));
        final byte[] unread = pool.take();
        final ColdPart finished = new ColdPart(CompletableFuture.completedFuture(List.of(ByteBuffer.wrap(unread))), pool, 2);
        finished.abandon();
        assertSame(unread, pool.take());
        assertTrue(pool.reserve(4, false));
        pool.release(4);

        // One still running is interrupted; the reservation comes back at once.
        assertTrue(pool.reserve(3, false));
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final FutureTask<List<ByteBuffer>> get = new FutureTask<>(() ->
        {
            running.countDown();
            try
            {
                // A GET whose body never comes: only the interrupt ends it.
                new CountDownLatch(1).await();
            }
            catch (final InterruptedException e)
            {
                interrupted.countDown();
            }
            return List.of();
        });
        Thread.ofVirtual().start(get);
        running.await();
        new ColdPart(get, pool, 3).abandon();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the GET's thread was interrupted");
        assertTrue(pool.reserve(4, false));
    }
}
