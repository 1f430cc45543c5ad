package dev.conduit.gdspath;

import dev.conduit.blocklayout.ObjectLayout;

/**
 * The DMA half of a checkpoint on the GDS path: the whole blocks of a {@link DataPath#write} that
 * cuFile batch entries write from device memory into the extents a direct put allocated (the store
 * writes the tail and publishes). Shares the read's bookkeeping: one entry per extent piece, the
 * first failure kept, completion once every entry was reported, so the source buffer is the
 * caller's again and the extents untouched after its future completes.
 *
 * <p>Threading: made by the writing thread; owned by the GDS agent after submission.
 */
final class GdsWrite extends GdsRead
{
    private final ObjectLayout layout;

    GdsWrite(final String key, final ObjectLayout layout, final long lengthBytes, final DeviceBuffer src)
    {
        super(key, null, 0, lengthBytes, src, 0);
        this.layout = layout;
    }

    @Override
    ObjectLayout layout()
    {
        return layout;
    }

    @Override
    boolean writes()
    {
        return true;
    }
}
