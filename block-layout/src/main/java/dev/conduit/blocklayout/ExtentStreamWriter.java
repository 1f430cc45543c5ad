package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * Writes a byte stream sequentially across a list of extents through one aligned staging buffer
 * (the checkpoint writer's output). The first block is kept back so a header that is only known at
 * the end (counts, checksums) can be patched in by {@link #finish(MemorySegment)}.
 *
 * <p>Threading: one thread.
 */
final class ExtentStreamWriter
{
    private final List<Namespace> namespaces;
    private final ExtentCursor cursor;
    private final MemorySegment staging;
    private final byte[] scratch = new byte[4];
    private final MemorySegment firstBlock;
    private long streamOffset;
    private int filled;

    /**
     * @param namespaces the store's namespaces by index.
     * @param extents    where the stream goes, in order.
     * @param staging    aligned buffer, a multiple of 4096 bytes.
     * @param firstBlock aligned 4096-byte buffer that holds the stream's first block until {@link #finish}.
     */
    ExtentStreamWriter(final List<Namespace> namespaces, final List<Extent> extents, final MemorySegment staging, final MemorySegment firstBlock)
    {
        this.namespaces = namespaces;
        this.cursor = new ExtentCursor(extents);
        this.staging = staging;
        this.firstBlock = firstBlock;
    }

    /**
     * @param src    bytes.
     * @param offset start in {@code src}.
     * @param length count.
     */
    void write(final byte[] src, final int offset, final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int take = (int)Math.min(length - done, staging.byteSize() - filled);
            MemorySegment.copy(src, offset + done, staging, ValueLayout.JAVA_BYTE, filled, take);
            filled += take;
            done += take;
            if (filled == staging.byteSize())
            {
                drain();
            }
        }
    }

    /**
     * @param value written little-endian.
     */
    void writeInt(final int value)
    {
        final byte[] b = scratch;
        Bytes.u32(b, 0, value);
        write(b, 0, 4);
    }

    /**
     * Pads to a block, writes what is left, then the first block with {@code header} over its start.
     *
     * @param header bytes to place at stream offset 0.
     */
    void finish(final MemorySegment header)
    {
        final int padded = (int)Bytes.roundUp(filled, Bytes.BLOCK);
        staging.asSlice(filled, padded - filled).fill((byte)0);
        filled = padded;
        drain();
        firstBlock.asSlice(0, header.byteSize()).copyFrom(header);
        namespaceOf(cursor.locate(0)).write(firstBlock, cursor.physicalOffset(0));
    }

    private void drain()
    {
        if (filled == 0)
        {
            return;
        }
        if (streamOffset == 0)
        {
            firstBlock.copyFrom(staging.asSlice(0, Bytes.BLOCK));
        }
        cursor.forEachPiece(streamOffset, filled, (e, physical, at, take) -> namespaceOf(e).write(staging.asSlice(at, take), physical));
        streamOffset += filled;
        filled = 0;
    }

    private Namespace namespaceOf(final Extent e)
    {
        return namespaces.get(e.namespaceIndex());
    }
}
