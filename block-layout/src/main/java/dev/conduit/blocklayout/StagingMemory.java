package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.AlignedMemory;

/**
 * One put's staging memory: up to two buffers borrowed from the store's {@link StagingPool}, or,
 * when the pool is spent, allocated from an arena of the put's own. {@link #release()} gives it all
 * back at once.
 *
 * <p>Threading: the put's thread; release only once no I/O uses the buffers any more.
 */
final class StagingMemory
{
    private final StagingPool pool;
    private final MemorySegment[] borrowed = new MemorySegment[2];
    private Arena own;

    StagingMemory(final StagingPool pool)
    {
        this.pool = pool;
    }

    /**
     * @param slot        0 or 1, the put's buffer index.
     * @param lengthBytes the buffer's size, at most {@link ObjectWriter#STAGING_BYTES}, a multiple of the block.
     * @return a block-aligned buffer (contents undefined).
     */
    MemorySegment allocate(final int slot, final long lengthBytes)
    {
        final MemorySegment pooled = pool.take();
        if (pooled != null)
        {
            borrowed[slot] = pooled;
            return pooled.asSlice(0, lengthBytes);
        }
        if (own == null)
        {
            own = Arena.ofShared();
        }
        return AlignedMemory.allocateUninitialized(own, lengthBytes, Bytes.BLOCK);
    }

    /** Gives the borrowed buffers back and frees the put's own arena; idempotent. */
    void release()
    {
        for (int i = 0; i < borrowed.length; i++)
        {
            if (borrowed[i] != null)
            {
                pool.give(borrowed[i]);
                borrowed[i] = null;
            }
        }
        if (own != null)
        {
            own.close();
            own = null;
        }
    }
}
