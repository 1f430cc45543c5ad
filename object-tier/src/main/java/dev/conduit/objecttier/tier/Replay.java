package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.List;

/**
 * The pieces a fill has handed out so far, kept so that a request joining after its first bytes
 * left streams too (these pieces first, then the rest as they arrive) instead of waiting for the
 * commit. Kept only for the streamed first part of a fill that a request started, and only while
 * the cold client's part memory ({@link PiecePool}) has room for them: the fill closes it when the
 * first part is in, when it ends, or when a piece finds no room, and requests joining after that
 * wait for the commit. It never waits for memory, so it cannot hold up a fill that does.
 *
 * <p>Threading: guarded by the owning fill's monitor.
 */
final class Replay
{
    private final PiecePool budget;
    private final List<Fill.Piece> pieces = new ArrayList<>();
    private int reserved;
    private boolean open = true;

    /**
     * @param budget the part memory the kept pieces are counted against.
     */
    Replay(final PiecePool budget)
    {
        this.budget = budget;
    }

    /**
     * Keeps a piece just handed out, or closes the replay when the part memory has no room for it.
     *
     * @param piece a piece whose array nobody changes any more.
     */
    void keep(final Fill.Piece piece)
    {
        if (!open)
        {
            return;
        }
        final int needed = budget.piecesFor(piece.length());
        if (!budget.tryReserve(needed))
        {
            close();
            return;
        }
        reserved += needed;
        pieces.add(piece);
    }

    /** @return whether a request joining now can still be given every piece handed out so far. */
    boolean isOpen()
    {
        return open;
    }

    /** @return the pieces handed out so far, in order. */
    List<Fill.Piece> pieces()
    {
        return List.copyOf(pieces);
    }

    /** Drops the pieces and gives their part memory back; later joiners wait for the commit. */
    void close()
    {
        if (open)
        {
            open = false;
            pieces.clear();
            budget.release(reserved);
            reserved = 0;
        }
    }
}
