package dev.conduit.objecttier.http;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recycled views of a cache entry: own indexes, whole body each time, the release signalled and recycled. */
class HttpCachedPieceTest
{
    @Test
    void shouldHandOutAWholeViewAgainAfterItsReleaseAndSignalIt()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < 16; i++)
        {
            memory.put(i, (byte)i);
        }
        final AtomicReferenceArray<CachedPiece> spares = CachedPiece.spares();
        final AtomicInteger ended = new AtomicInteger();
        final CachedPiece first = CachedPiece.take(memory, spares);
        assertEquals(16, first.readableBytes());
        first.skipBytes(10);
        first.onReleased(ended::incrementAndGet).release();
        assertEquals(1, ended.get());
        final CachedPiece again = CachedPiece.take(memory, spares);
        assertSame(first, again);
        assertEquals(0, again.readerIndex());
        assertEquals(16, again.readableBytes());
        assertEquals(1, again.refCnt());
        assertEquals(3, again.getByte(3));
        // Released without a task this time: nothing more is signalled.
        again.release();
        assertEquals(1, ended.get());
    }

    @Test
    void shouldGiveResponsesInFlightAtOnceViewsOfTheirOwn()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(8);
        final AtomicReferenceArray<CachedPiece> spares = CachedPiece.spares();
        // By identity: ByteBufs with equal bytes are equal.
        final Set<CachedPiece> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < CachedPiece.SPARES + 2; i++)
        {
            assertTrue(inFlight.add(CachedPiece.take(memory, spares)));
        }
        inFlight.forEach(CachedPiece::release);
        final CachedPiece one = CachedPiece.take(memory, spares);
        final CachedPiece two = CachedPiece.take(memory, spares);
        assertNotSame(one, two);
        assertTrue(inFlight.contains(one) && inFlight.contains(two));
        assertEquals(memory.capacity(), one.readableBytes());
        one.release();
        two.release();
    }
}
