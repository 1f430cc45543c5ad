package dev.conduit.objecttier.tier;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Arrays for the pieces of a fill's ranged parts, reused: a part is read from the socket into
 * them and appended to the put session, which copies it, so they are free again once the part is
 * appended. Without reuse a prefetch allocates (and zeroes, and collects) its whole size in
 * arrays. Pieces are {@link #PIECE_BYTES}, well below G1's humongous threshold (half a region,
 * 512 KiB in the smallest, 1 MiB regions): 1 MiB arrays were humongous objects in a heap of 2 MiB
 * regions, each taking a region of its own and adding young collections. At most
 * {@code maxFree} arrays wait here; more are left to the collector. Thread-safe.
 */
final class PiecePool
{
    /** Bytes per piece. */
    static final int PIECE_BYTES = 256 << 10;

    private final BlockingQueue<byte[]> free;

    /**
     * @param maxFree most arrays kept for reuse.
     */
    PiecePool(final int maxFree)
    {
        this.free = new ArrayBlockingQueue<>(maxFree);
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
            if (piece.hasArray() && piece.array().length == PIECE_BYTES && !free.offer(piece.array()))
            {
                return;
            }
        }
    }
}
