package dev.conduit.objecttier.tier;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One ranged GET of a fill in flight ({@link ColdClient#getPart}) and the part memory it reserved:
 * the fill appends its buffers and then {@linkplain #release releases} it, or abandons it when the
 * fill fails. Either way the reservation is returned once. Used by the fill's thread only.
 */
final class ColdPart
{
    private final Future<List<ByteBuffer>> body;
    private final PiecePool pool;
    private final int reservedPieces;
    private List<ByteBuffer> buffers;
    private boolean over;

    ColdPart(final Future<List<ByteBuffer>> body, final PiecePool pool, final int reservedPieces)
    {
        this.body = body;
        this.pool = pool;
        this.reservedPieces = reservedPieces;
    }

    /**
     * @return the body as heap buffers in order, once it has all arrived (fewer bytes than asked
     *         only when the object is shorter); readable until {@link #release}.
     * @throws dev.conduit.core.ConduitException the GET's failure, mapped.
     * @throws InterruptedException when interrupted.
     */
    List<ByteBuffer> await() throws InterruptedException
    {
        try
        {
            buffers = body.get();
            return buffers;
        }
        catch (final ExecutionException e)
        {
            throw ColdErrors.map(e, "cold tier");
        }
    }

    /** The buffers' bytes are copied (or no longer wanted): their arrays and the reservation go back. */
    void release()
    {
        if (over)
        {
            return;
        }
        over = true;
        if (buffers != null)
        {
            pool.give(buffers);
            buffers = null;
        }
        pool.release(reservedPieces);
    }

    /**
     * The fill stopped before this part's turn: the GET is interrupted, its arrays go back if it
     * had finished (a GET cut short gives its own back), and so does the reservation.
     */
    void abandon()
    {
        if (!body.cancel(true) && body.state() == Future.State.SUCCESS && buffers == null)
        {
            buffers = body.resultNow();
        }
        release();
    }
}
