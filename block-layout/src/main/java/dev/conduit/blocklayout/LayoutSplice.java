package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins the layouts of several objects into the layout of their concatenation without moving a
 * byte, when their geometry allows it (the zero-copy half of {@link ObjectStore#compose}).
 *
 * <p>Why the conditions: a column's address space is its extents concatenated, and logical byte
 * {@code L} lies in column {@code (L >> stripeShift) mod C}. A part that ends on a stripe-row
 * boundary (its size a multiple of stripe unit × C) leaves every column exactly full, so the next
 * part's column {@code j} continues column {@code j}'s address space where it stopped; appending
 * its extents to column {@code j} is the whole job. A part that also ends on a chunk boundary keeps
 * the next part's chunk CRCs valid in place, so the CRC lists concatenate too. The last part may
 * end anywhere and use fewer columns, as long as its bytes land in the same columns they would in
 * the joined object. When the joined object has more chunks than a put may have, neighbouring
 * CRCs are merged by CRC combination (no bytes read) and the chunk size doubles.
 *
 * <p>Stateless.
 */
final class LayoutSplice
{
    /** Most extents in one column: the record's extentCount is a u16. */
    static final int MAX_EXTENTS_PER_COLUMN = 0xFFFF;
    /** Largest chunk shift a record may carry. */
    static final int MAX_CHUNK_SHIFT = 30;

    /**
     * The joined layout and checksums.
     *
     * @param layout     columns made of the parts' extents, adjacent ones merged.
     * @param chunkShift the parts' common chunk shift.
     * @param chunkCrcs  the parts' chunk CRCs in order.
     */
    record Spliced(ObjectLayout layout, int chunkShift, int[] chunkCrcs)
    {
    }

    private LayoutSplice()
    {
    }

    /**
     * @param parts the parts in content order.
     * @return the joined layout, or null when the parts' geometry does not allow joining in place.
     */
    static Spliced trySplice(final List<ObjectRecord> parts)
    {
        return trySplice(parts, ObjectWriter.MAX_CHUNKS);
    }

    /**
     * @param parts     the parts in content order.
     * @param maxChunks most chunks of the joined object; beyond it neighbouring chunk CRCs are merged
     *                  (CRC combination) and the chunk size doubles, exactly as a put of the same
     *                  bytes would have chosen its chunk size.
     * @return the joined layout, or null when the parts' geometry does not allow joining in place.
     */
    static Spliced trySplice(final List<ObjectRecord> parts, final int maxChunks)
    {
        final List<ObjectRecord> nonEmpty = new ArrayList<>(parts.size());
        for (final ObjectRecord r : parts)
        {
            if (r.sizeBytes() > 0)
            {
                nonEmpty.add(r);
            }
        }
        if (nonEmpty.isEmpty())
        {
            return new Spliced(ObjectLayout.EMPTY, parts.getFirst().chunkShift(), new int[0]);
        }
        final ObjectRecord first = nonEmpty.getFirst();
        final List<Column> firstColumns = first.layout().columns();
        final List<List<Extent>> columns = new ArrayList<>(firstColumns.size());
        for (int c = 0; c < firstColumns.size(); c++)
        {
            columns.add(new ArrayList<>());
        }
        long chunks = 0;
        long sizeBytes = 0;
        for (int i = 0; i < nonEmpty.size(); i++)
        {
            final ObjectRecord r = nonEmpty.get(i);
            if (!fits(r, first, i == nonEmpty.size() - 1))
            {
                return null;
            }
            final List<Column> own = r.layout().columns();
            for (int c = 0; c < own.size(); c++)
            {
                for (final Extent e : own.get(c).extents())
                {
                    Extent.appendMerged(columns.get(c), e);
                }
            }
            chunks += r.chunkCount();
            sizeBytes += r.sizeBytes();
        }
        if (chunks > Integer.MAX_VALUE / 2)
        {
            return null;
        }
        final List<Column> joined = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++)
        {
            if (columns.get(c).size() > MAX_EXTENTS_PER_COLUMN)
            {
                return null;
            }
            joined.add(new Column(firstColumns.get(c).namespaceIndex(), columns.get(c)));
        }
        final int[] crcs = new int[(int)chunks];
        int at = 0;
        for (final ObjectRecord r : nonEmpty)
        {
            System.arraycopy(r.chunkCrcsUnsafe(), 0, crcs, at, r.chunkCount());
            at += r.chunkCount();
        }
        int chunkShift = first.chunkShift();
        int[] folded = crcs;
        while (folded.length > maxChunks)
        {
            if (chunkShift == MAX_CHUNK_SHIFT)
            {
                return null;
            }
            folded = fold(folded, chunkShift, sizeBytes);
            chunkShift++;
        }
        return new Spliced(new ObjectLayout(first.layout().stripeShift(), joined), chunkShift, folded);
    }

    /**
     * @param crcs       chunk CRCs of an object of {@code sizeBytes} in chunks of {@code 1 << chunkShift}.
     * @param chunkShift the current chunk shift.
     * @param sizeBytes  the object size (the last chunk may be short).
     * @return the CRCs of chunks twice as large.
     */
    private static int[] fold(final int[] crcs, final int chunkShift, final long sizeBytes)
    {
        final int[] out = new int[(crcs.length + 1) / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int second = 2 * i + 1;
            out[i] = second < crcs.length
                ? ChunkCrcs.combine(crcs[2 * i], crcs[second], Math.min(1L << chunkShift, sizeBytes - ((long)second << chunkShift)))
                : crcs[2 * i];
        }
        return out;
    }

    /**
     * @param r     a non-empty part.
     * @param first the first non-empty part, whose geometry the joined object takes.
     * @param last  whether {@code r} is the last non-empty part.
     * @return true when {@code r}'s columns continue the joined columns exactly.
     */
    private static boolean fits(final ObjectRecord r, final ObjectRecord first, final boolean last)
    {
        final List<Column> joined = first.layout().columns();
        final List<Column> own = r.layout().columns();
        final int stripeShift = first.layout().stripeShift();
        if (r.chunkShift() != first.chunkShift() || r.layout().stripeShift() != stripeShift || own.size() > joined.size())
        {
            return false;
        }
        for (int c = 0; c < own.size(); c++)
        {
            if (own.get(c).namespaceIndex() != joined.get(c).namespaceIndex())
            {
                return false;
            }
        }
        final long size = r.sizeBytes();
        if (!last)
        {
            final long rowBytes = (1L << stripeShift) * joined.size();
            if (own.size() != joined.size() || size % rowBytes != 0 || size % r.chunkSizeBytes() != 0)
            {
                return false;
            }
            for (final Column c : own)
            {
                if (c.lengthBytes() != size / joined.size())
                {
                    return false;
                }
            }
            return true;
        }
        final long[] inJoined = ObjectLayout.columnDataBytes(size, joined.size(), stripeShift);
        final long[] inOwn = ObjectLayout.columnDataBytes(size, own.size(), stripeShift);
        for (int c = 0; c < joined.size(); c++)
        {
            if (inJoined[c] != (c < own.size() ? inOwn[c] : 0))
            {
                return false;
            }
        }
        return true;
    }
}
