package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * The verified read path: reads one chunk's pieces from their namespaces straight into the caller's
 * aligned buffer (no bounce copy) and checks its CRC-32C before the caller may look at it.
 *
 * <p>Threading: stateless apart from counters; any number of concurrent readers.
 */
final class ObjectReader
{
    private final List<Namespace> namespaces;
    private final StoreCounters counters;

    ObjectReader(final List<Namespace> namespaces, final StoreCounters counters)
    {
        this.namespaces = namespaces;
        this.counters = counters;
    }

    /**
     * @param record the object version.
     * @param index  chunk number.
     * @param dst    aligned native buffer of at least the chunk length rounded up to 4096.
     * @throws CorruptExtentException when the bytes read do not match the recorded CRC-32C.
     */
    void readChunk(final ObjectRecord record, final int index, final MemorySegment dst)
    {
        final long start = (long)index << record.chunkShift();
        final long length = record.chunkLengthBytes(index);
        final long[] first = {-1, -1};
        record.layout().forEachPiece(start, length, (ns, physical, logical, pieceBytes) ->
        {
            if (first[0] < 0)
            {
                first[0] = ns;
                first[1] = physical;
            }
            final int retries = namespaces.get(ns).readFully(dst.asSlice(logical - start, Bytes.roundUp(pieceBytes, Bytes.BLOCK)), physical);
            counters.add(StoreCounter.SHORT_READ_RETRIES, retries);
        });
        final int actual = Bytes.crc32c(dst, 0, length);
        if (actual != record.chunkCrc(index))
        {
            counters.increment(StoreCounter.CRC_MISMATCHES);
            final int ns = (int)first[0];
            throw new CorruptExtentException(record.key(), ns, namespaces.get(ns).id(), first[1], index, record.chunkCrc(index), actual);
        }
        counters.add(StoreCounter.BYTES_READ, length);
    }
}
