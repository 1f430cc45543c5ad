package dev.conduit.objecttier.tier;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fill's replay keeps what it handed out only within the cold client's part memory, never waits
 * for it, and gives it back exactly once when closed.
 */
class ReplayTest
{
    @Test
    void shouldKeepPiecesWithinThePartMemoryAndGiveItBackOnceWhenClosed()
    {
        final PiecePool memory = new PiecePool(4);
        final Replay replay = new Replay(memory);
        final Fill.Piece small = new Fill.Piece(new byte[64 << 10], 0, 64 << 10);
        final Fill.Piece piece = new Fill.Piece(new byte[PiecePool.PIECE_BYTES], 0, PiecePool.PIECE_BYTES);
        replay.keep(small);
        replay.keep(piece);
        assertTrue(replay.isOpen());
        assertEquals(List.of(small, piece), replay.pieces());
        assertFalse(memory.tryReserve(3), "two of the four pieces of part memory are kept");
        // A 1 MiB piece needs four: no room, so the replay closes rather than wait.
        replay.keep(new Fill.Piece(new byte[1 << 20], 0, 1 << 20));
        assertFalse(replay.isOpen());
        assertEquals(List.of(), replay.pieces());
        assertTrue(memory.tryReserve(4), "closing gave the kept pieces' memory back");
        memory.release(4);
        replay.close();
        replay.keep(small);
        assertEquals(List.of(), replay.pieces(), "a closed replay keeps nothing");
        assertTrue(memory.tryReserve(4));
        assertFalse(memory.tryReserve(1), "closed twice, given back once");
    }
}
