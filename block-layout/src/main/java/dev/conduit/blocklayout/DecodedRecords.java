package dev.conduit.blocklayout;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The decoded form of recently opened records, found by the identity of their catalog bytes: a
 * catalog entry's bytes are never mutated, and a new version of a key is new bytes, so the same
 * array always decodes to the same (immutable) {@link ObjectRecord}. Reads that open the same
 * objects again and again (a training loader's shards) then allocate no record per read.
 *
 * <p>Set-associative and lossy: {@link #SETS} sets of {@link #WAYS} entries, so memory stays bounded
 * (at most {@link #CAPACITY} records, live or replaced). Direct mapping was not enough: identity
 * hashes are random, so even eight hot shards shared a slot in about one run in ten, and two shards
 * that collide evict each other on every epoch. With four ways a set overflows only when five hot
 * records land in it; then the victim rotates, so a miss costs one decode and nothing else.
 *
 * <p>Threading: any thread; an entry is published whole. The victim counter is a plain field on
 * purpose: a lost increment only changes which entry a miss replaces.
 */
final class DecodedRecords
{
    /** Sets (a power of two). */
    static final int SETS = 256;
    /** Entries per set. */
    static final int WAYS = 4;
    /** Records kept at most. */
    static final int CAPACITY = SETS * WAYS;

    private final AtomicReferenceArray<Entry> entries = new AtomicReferenceArray<>(CAPACITY);
    private int victim;

    /**
     * @param raw record bytes from the catalog.
     * @return their decoded record, decoded now unless this very array is still in its set.
     */
    ObjectRecord decode(final byte[] raw)
    {
        final int base = (System.identityHashCode(raw) & (SETS - 1)) * WAYS;
        int free = -1;
        for (int way = 0; way < WAYS; way++)
        {
            final Entry cached = entries.getAcquire(base + way);
            if (cached == null)
            {
                free = free < 0 ? base + way : free;
            }
            else if (cached.raw == raw)
            {
                return cached.record;
            }
        }
        final ObjectRecord record = ObjectRecordDescriptor.decode(raw);
        final int index = free >= 0 ? free : base + (victim++ & (WAYS - 1));
        entries.setRelease(index, new Entry(raw, record));
        return record;
    }

    private record Entry(byte[] raw, ObjectRecord record)
    {
    }
}
