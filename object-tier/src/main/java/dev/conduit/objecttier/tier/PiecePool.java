package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Arrays for the pieces of a fill's ranged parts, reused, and the budget that bounds them: a part is
 * read from the socket into them and appended to the put session, which copies it, so they are
 * free again once the part is appended. A part reserves its pieces before its GET starts
 * ({@link #reserve}), so the parts of all fills together hold at most the budget, and the arrays
 * they use are the same ones over and over: a prefetch of many GiB allocates none per byte once
 * warm. Without the bound, eight fills of 64 MiB objects held 450 MB of parts on the heap, which
 * every young collection copied. Pieces are {@link #PIECE_BYTES}, well below G1's humongous
 * threshold (half a region, 512 KiB in the smallest, 1 MiB regions): 1 MiB arrays were humongous
 * objects in a heap of 2 MiB regions, each taking a region of its own and adding young
 * collections. Thread-safe.
 */
final class PiecePool
{
    /** Bytes per piece. */
    static final int PIECE_BYTES = 256 << 10;
    // Arrays kept beyond the budget, for the fills' streamed first parts, which read through one array each.
    private static final int STREAM_ARRAYS = 16;
    // The free list's slots are allocated up front: a budget raised far past the defaults keeps at most 1 GiB of arrays.
    private static final int MAX_KEPT = 4096;

    private final BlockingQueue<byte[]> free;
    private final Semaphore budget;
    private final int budgetPieces;

    /**
     * @param budgetPieces most pieces the reserved parts hold at once.
     */
    PiecePool(final int budgetPieces)
    {
        this.budgetPieces = budgetPieces;
        this.budget = new Semaphore(budgetPieces);
        this.free = new ArrayBlockingQueue<>(Math.min(budgetPieces, MAX_KEPT) + STREAM_ARRAYS);
    }

    /**
     * @param lengthBytes a part's length.
     * @return the pieces it needs, at most the whole budget (so a part never waits for more than exists).
     */
    int piecesFor(final long lengthBytes)
    {
        return (int)Math.min(budgetPieces, (lengthBytes + PIECE_BYTES - 1) / PIECE_BYTES);
    }

    /**
     * Reserves pieces for one part; give them back with {@link #release} once the part is appended
     * or abandoned.
     *
     * @param pieces what the part needs ({@link #piecesFor}).
     * @param wait   whether to wait until they are free. Only a caller that holds no reservation
     *               may wait: one that holds parts frees memory by appending them, and parts
     *               waiting on each other would never be appended.
     * @return whether they are reserved (always, when waiting).
     * @throws InterruptedException when interrupted while waiting.
     */
    boolean reserve(final int pieces, final boolean wait) throws InterruptedException
    {
        if (wait)
        {
            budget.acquire(pieces);
            return true;
        }
        return tryReserve(pieces);
    }

    /**
     * {@link #reserve} without waiting, for a caller that may hold reservations.
     *
     * @param pieces what is needed ({@link #piecesFor}).
     * @return whether they are reserved.
     */
    boolean tryReserve(final int pieces)
    {
        return budget.tryAcquire(pieces);
    }

    /**
     * @param pieces a reservation that is over.
     */
    void release(final int pieces)
    {
        budget.release(pieces);
    }

    /**
     * Reads one attempt at a part's body into pieces: their arrays are the caller's until given
     * back; an attempt that fails gives its own back (the SDK may retry it).
     *
     * @param in          the body.
     * @param lengthBytes the part's length.
     * @return the bytes read, as buffers over pieces in order (fewer bytes only when the body ends early).
     * @throws IOException when the body cannot be read.
     */
    List<ByteBuffer> read(final InputStream in, final long lengthBytes) throws IOException
    {
        final List<ByteBuffer> read = new ArrayList<>();
        long left = lengthBytes;
        try
        {
            while (left > 0)
            {
                final byte[] piece = take();
                final int want = (int)Math.min(piece.length, left);
                final int n = in.readNBytes(piece, 0, want);
                read.add(ByteBuffer.wrap(piece, 0, n));
                if (n < want)
                {
                    break;
                }
                left -= n;
            }
            return read;
        }
        catch (final IOException | RuntimeException e)
        {
            // A failed attempt (the SDK may retry it): its arrays are free again.
            give(read);
            throw e;
        }
    }

    /** @return an array of {@link #PIECE_BYTES}, reused when one is free (its old bytes are overwritten by the reader). */
    byte[] take()
    {
        final byte[] array = free.poll();
        return array != null ? array : new byte[PIECE_BYTES];
    }

    /**
     * Takes back the arrays of a part that nobody holds any more.
     *
     * @param pieces buffers over arrays from {@link #take()} (others are left alone).
     */
    void give(final List<ByteBuffer> pieces)
    {
        for (final ByteBuffer piece : pieces)
        {
            if (piece.hasArray())
            {
                give(piece.array());
            }
        }
    }

    /**
     * Takes back one array that nobody holds any more.
     *
     * @param array an array from {@link #take()} (others are left alone); left to the collector when the pool is full.
     */
    void give(final byte[] array)
    {
        if (array.length == PIECE_BYTES)
        {
            free.offer(array);
        }
    }
}
