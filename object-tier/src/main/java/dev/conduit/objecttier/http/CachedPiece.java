package dev.conduit.objecttier.http;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A response's view of one {@link SmallObjectCache} entry's bytes, recycled: an entry keeps a few
 * free views (one per response in flight is needed; {@link #SPARES} are kept), so a hit allocates
 * no duplicate, and its release (write done or failed) can end the exchange ({@link EndsOnRelease}).
 * The memory is the entry's; a view's last release never frees it, and the garbage collector frees
 * it once neither the entry nor any view refers to it.
 *
 * <p>Like any released ByteBuf, a view must not be touched after its last release: another
 * response may already have taken it.
 */
final class CachedPiece extends AddressedDirectByteBuf implements EndsOnRelease
{
    /** Free views an entry keeps; more responses in flight at once make views that are dropped after. */
    static final int SPARES = 4;

    private final AtomicReferenceArray<CachedPiece> spares;
    private Runnable onReleased;

    private CachedPiece(final ByteBuffer memory, final AtomicReferenceArray<CachedPiece> spares)
    {
        super(memory);
        this.spares = spares;
    }

    /**
     * @return a new set of free views for one entry.
     */
    static AtomicReferenceArray<CachedPiece> spares()
    {
        return new AtomicReferenceArray<>(SPARES);
    }

    /**
     * @param memory the entry's bytes (all of them are the body).
     * @param spares the entry's free views.
     * @return a view of the whole body with one reference, taken from the spares or made.
     */
    static CachedPiece take(final ByteBuffer memory, final AtomicReferenceArray<CachedPiece> spares)
    {
        for (int i = 0; i < SPARES; i++)
        {
            final CachedPiece spare = spares.getAndSet(i, null);
            if (spare != null)
            {
                spare.resetRefCnt();
                spare.setIndex(0, spare.capacity());
                return spare;
            }
        }
        return new CachedPiece(memory.duplicate().clear(), spares);
    }

    @Override
    public CachedPiece onReleased(final Runnable task)
    {
        this.onReleased = task;
        return this;
    }

    @Override
    protected void deallocate()
    {
        // Not super.deallocate(): the memory is the entry's, and this view goes back to be taken again.
        final Runnable task = onReleased;
        onReleased = null;
        for (int i = 0; i < SPARES; i++)
        {
            if (spares.compareAndSet(i, null, this))
            {
                break;
            }
        }
        if (task != null)
        {
            task.run();
        }
    }
}
