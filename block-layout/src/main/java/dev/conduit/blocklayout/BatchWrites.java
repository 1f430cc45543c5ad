package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * Writes gathered to be issued together: a put's last staging buffer, cut into its layout's pieces
 * (handed to the group commit instead of written by the put's own thread), and a journal batch's
 * writes (the data of the puts it publishes, and on namespace 0 the batch itself). Issuing them with
 * one {@link Namespace#writeAll} per namespace costs the leader one wait for all of them, and a put
 * one wake-up (its commit's) instead of two (its data write's and its commit's).
 *
 * <p>Threading: one thread at a time (the put's thread, then the commit leader).
 */
final class BatchWrites implements ObjectLayout.PieceConsumer
{
    private int[] namespaceIndexes = new int[4];
    private MemorySegment[] sources = new MemorySegment[4];
    private long[] offsetsBytes = new long[4];
    private int count;
    private MemorySegment buffer;
    private long baseBytes;

    /**
     * Adds the pieces of one staging buffer's write.
     *
     * @param layout      where the object's bytes go.
     * @param staging     staging buffer, zero-padded to a whole block after {@code lengthBytes}; in use until written.
     * @param base        logical offset of {@code staging[0]} in the object.
     * @param lengthBytes bytes of object data in the buffer.
     */
    void addBuffer(final ObjectLayout layout, final MemorySegment staging, final long base, final long lengthBytes)
    {
        this.buffer = staging;
        this.baseBytes = base;
        layout.forEachPiece(base, lengthBytes, this);
        this.buffer = null;
    }

    @Override
    public void accept(final int namespaceIndex, final long physicalOffset, final long logicalOffset, final long pieceBytes)
    {
        add(namespaceIndex, buffer.asSlice(logicalOffset - baseBytes, Bytes.roundUp(pieceBytes, Bytes.BLOCK)), physicalOffset);
    }

    /** Adds every write of {@code other}. */
    void addAll(final BatchWrites other)
    {
        for (int i = 0; i < other.count; i++)
        {
            add(other.namespaceIndexes[i], other.sources[i], other.offsetsBytes[i]);
        }
    }

    /**
     * @param namespaceIndex the namespace.
     * @param source         aligned native source.
     * @param offsetBytes    aligned namespace offset.
     */
    void add(final int namespaceIndex, final MemorySegment source, final long offsetBytes)
    {
        if (count == sources.length)
        {
            namespaceIndexes = Arrays.copyOf(namespaceIndexes, count * 2);
            sources = Arrays.copyOf(sources, count * 2);
            offsetsBytes = Arrays.copyOf(offsetsBytes, count * 2);
        }
        namespaceIndexes[count] = namespaceIndex;
        sources[count] = source;
        offsetsBytes[count] = offsetBytes;
        count++;
    }

    /** @return whether every write goes to namespace 0 (so the journal's flush covers them all). */
    boolean onlyNamespaceZero()
    {
        for (int i = 0; i < count; i++)
        {
            if (namespaceIndexes[i] != 0)
            {
                return false;
            }
        }
        return true;
    }

    /** @return whether there is nothing to write. */
    boolean isEmpty()
    {
        return count == 0;
    }

    /**
     * Issues every write, one {@link Namespace#writeAll} per namespace, and forgets them.
     *
     * @param namespaces the store's namespaces, by index.
     * @throws RuntimeException the first failure; every write issued has completed by then.
     */
    void writeTo(final List<Namespace> namespaces)
    {
        try
        {
            if (onlyNamespaceZero())
            {
                namespaces.getFirst().writeAll(sources, offsetsBytes, count);
                return;
            }
            // Off namespace 0 only when a store spans namespaces: rare enough to gather per namespace here.
            final MemorySegment[] mine = new MemorySegment[count];
            final long[] at = new long[count];
            for (int ns = 0; ns < namespaces.size(); ns++)
            {
                int n = 0;
                for (int i = 0; i < count; i++)
                {
                    if (namespaceIndexes[i] == ns)
                    {
                        mine[n] = sources[i];
                        at[n++] = offsetsBytes[i];
                    }
                }
                if (n > 0)
                {
                    namespaces.get(ns).writeAll(mine, at, n);
                }
            }
        }
        finally
        {
            clear();
        }
    }

    /**
     * Issues every write to {@code namespaceZero} in one {@link Namespace#writeAll} and forgets them.
     *
     * @param namespaceZero namespace 0; every write must be to it ({@link #onlyNamespaceZero()}).
     */
    void writeTo(final Namespace namespaceZero)
    {
        writeTo(List.of(namespaceZero));
    }

    /** Forgets every write (none is issued). */
    void clear()
    {
        Arrays.fill(sources, 0, count, null);
        count = 0;
    }
}
