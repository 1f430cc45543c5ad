package dev.conduit.blocklayout;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The decoded form of recently opened records, found by the identity of their catalog bytes: a
 * catalog entry's bytes are never mutated, and a new version of a key is new bytes, so the same
 * array always decodes to the same (immutable) {@link ObjectRecord}. Reads that open the same
 * objects again and again (a training loader's shards) then allocate no record per read.
 *
 * <p>Direct-mapped and lossy: a slot holds the last record decoded into it, so memory stays bounded
 * (at most {@link #SLOTS} records, live or replaced) and a collision only costs a decode.
 *
 * <p>Threading: any thread; a slot's entry is published whole.
 */
final class DecodedRecords
{
    static final int SLOTS = 256;

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /**
     * @param raw record bytes from the catalog.
     * @return their decoded record, decoded now unless this very array was decoded last in its slot.
     */
    ObjectRecord decode(final byte[] raw)
    {
        final int slot = System.identityHashCode(raw) & (SLOTS - 1);
        final Entry cached = slots.getAcquire(slot);
        if (cached != null && cached.raw == raw)
        {
            return cached.record;
        }
        final ObjectRecord record = ObjectRecordDescriptor.decode(raw);
        slots.setRelease(slot, new Entry(raw, record));
        return record;
    }

    private record Entry(byte[] raw, ObjectRecord record)
    {
    }
}
