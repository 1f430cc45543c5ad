package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * Whether an object's data is on the media as its record says: every chunk read back and checked
 * against its CRC-32C. Replay asks this of the objects of the journal's last batch, whose data and
 * journal record were made durable by one flush that a crash may have cut short.
 */
final class DataCheck
{
    private DataCheck()
    {
    }

    /**
     * @param namespaces the store's namespaces, by index.
     * @param record     an encoded object record.
     * @return true when every chunk matches its recorded CRC-32C.
     */
    static boolean intact(final List<Namespace> namespaces, final byte[] record)
    {
        final ObjectRecord r = ObjectRecordDescriptor.decode(record);
        if (r.sizeBytes() == 0)
        {
            return true;
        }
        final ObjectReader reader = new ObjectReader(namespaces, new StoreCounters());
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment chunk = arena.allocate(Bytes.roundUp(Math.min(r.sizeBytes(), 1L << r.chunkShift()), Bytes.BLOCK), Bytes.BLOCK);
            for (int i = 0; i < r.chunkCount(); i++)
            {
                reader.readChunk(r, i, chunk);
            }
            return true;
        }
        catch (final CorruptExtentException e)
        {
            return false;
        }
    }
}
