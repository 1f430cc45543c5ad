package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.objecttier.metrics.PrometheusText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The verified bytes of small objects that GETs read whole, kept in memory so that a repeated
 * small GET is answered from the event loop without a device read (what the page cache is to a
 * file server). Bounded by {@code s3.smallObjectCacheBytes} (0: no cache); objects above
 * {@link #MAX_OBJECT_BYTES} are never kept.
 *
 * <p>Never stale, never another object's bytes: an entry is found by the store key of the version
 * the GET has just opened from the catalog (so the catalog is consulted on every hit, exactly as
 * without the cache), and is served only when it was filled from that very version: the store-wide
 * version number of its put (never reused), its size and every chunk's CRC-32C must all equal
 * the opened record's. A replaced or deleted key therefore misses at once, and its stale entry is
 * dropped. Entries are filled only from a whole-object read that the scheduler verified chunk by
 * chunk against those CRCs; a read that failed or did not verify fills nothing.
 *
 * <p>Eviction: when a fill takes the cache over its capacity, entries are dropped in the map's
 * iteration order (arbitrary, not by recency) until it fits. Memory is direct (outside the heap),
 * freed by the garbage collector once no entry and no response in flight refer to it, so a hit
 * never races an eviction for a reference count.
 *
 * <p>Threading: any thread.
 */
public final class SmallObjectCache
{
    /** Largest object kept. */
    public static final int MAX_OBJECT_BYTES = 64 << 10;

    private final long capacityBytes;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder fills = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * @param capacityBytes most object bytes held at once (0: nothing is ever kept).
     */
    public SmallObjectCache(final long capacityBytes)
    {
        if (capacityBytes < 0)
        {
            throw new IllegalArgumentException("capacityBytes must be >= 0: " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /**
     * @param sizeBytes an object's size.
     * @return whether an object of this size is looked up and kept at all.
     */
    boolean admits(final long sizeBytes)
    {
        return sizeBytes > 0 && sizeBytes <= MAX_OBJECT_BYTES && sizeBytes <= capacityBytes;
    }

    /**
     * @param record the version a GET has just opened (pinned) from the catalog.
     * @return its whole body as a buffer of its own (ownership passes to the caller), or null when
     *         the cache holds no bytes of exactly this version.
     */
    ByteBuf get(final ObjectRecord record)
    {
        if (!admits(record.sizeBytes()))
        {
            return null;
        }
        final Entry entry = entries.get(record.key());
        if (entry == null)
        {
            misses.increment();
            return null;
        }
        if (!entry.isOf(record))
        {
            // The key has another version now: that entry can never be served again.
            remove(record.key(), entry);
            misses.increment();
            return null;
        }
        hits.increment();
        return Unpooled.wrappedBuffer(entry.body.duplicate());
    }

    /**
     * Keeps the bytes of a version that were just read whole and verified.
     *
     * @param record    the version they were read from.
     * @param verified  the object's bytes, verified against {@code record}'s chunk CRCs.
     * @param sizeBytes how many (the object's size).
     */
    void fill(final ObjectRecord record, final MemorySegment verified, final int sizeBytes)
    {
        if (!admits(sizeBytes) || sizeBytes != record.sizeBytes())
        {
            return;
        }
        final ByteBuffer body = ByteBuffer.allocateDirect(sizeBytes);
        MemorySegment.ofBuffer(body).copyFrom(verified.asSlice(0, sizeBytes));
        final Entry entry = new Entry(record, body.asReadOnlyBuffer());
        final Entry replaced = entries.put(record.key(), entry);
        bytes.addAndGet(sizeBytes - (replaced == null ? 0 : replaced.sizeBytes));
        fills.increment();
        if (bytes.get() > capacityBytes)
        {
            evict(entry);
        }
    }

    private void evict(final Entry keep)
    {
        final Iterator<Entry> it = entries.values().iterator();
        while (bytes.get() > capacityBytes && it.hasNext())
        {
            final Entry victim = it.next();
            if (victim != keep && remove(victim.key, victim))
            {
                evictions.increment();
            }
        }
    }

    private boolean remove(final String key, final Entry entry)
    {
        if (entries.remove(key, entry))
        {
            bytes.addAndGet(-entry.sizeBytes);
            return true;
        }
        return false;
    }

    /** @return object bytes held now. */
    long bytes()
    {
        return bytes.get();
    }

    /** @return GETs answered from the cache. */
    long hits()
    {
        return hits.sum();
    }

    /**
     * Appends the cache's counters to a scrape.
     *
     * @param text the scrape.
     */
    void render(final PrometheusText text)
    {
        final String prefix = "conduit_s3_small_object_cache_";
        final String[][] families = {
            {"hits_total", "counter", "small-object GETs answered from memory (the catalog's current version matched)"},
            {"misses_total", "counter", "small-object GETs that read the store (no entry, or one of another version)"},
            {"fills_total", "counter", "verified whole-object reads kept in memory"},
            {"evictions_total", "counter", "entries dropped to stay within s3.smallObjectCacheBytes"},
            {"bytes", "gauge", "object bytes held in memory"},
            {"capacity_bytes", "gauge", "s3.smallObjectCacheBytes"}};
        final long[] values = {hits.sum(), misses.sum(), fills.sum(), evictions.sum(), bytes.get(), capacityBytes};
        for (int i = 0; i < families.length; i++)
        {
            text.family(prefix + families[i][0], families[i][1], families[i][2]).sample(prefix + families[i][0], values[i]);
        }
    }

    /** One version's bytes, with what identifies the version they came from. */
    private static final class Entry
    {
        private final String key;
        private final long version;
        private final long sizeBytes;
        private final int[] chunkCrcs;
        private final ByteBuffer body;

        Entry(final ObjectRecord record, final ByteBuffer body)
        {
            this.key = record.key();
            this.version = record.version();
            this.sizeBytes = record.sizeBytes();
            this.chunkCrcs = new int[record.chunkCount()];
            for (int i = 0; i < chunkCrcs.length; i++)
            {
                chunkCrcs[i] = record.chunkCrc(i);
            }
            this.body = body;
        }

        boolean isOf(final ObjectRecord record)
        {
            if (record.version() != version || record.sizeBytes() != sizeBytes || !record.key().equals(key)
                || record.chunkCount() != chunkCrcs.length)
            {
                return false;
            }
            for (int i = 0; i < chunkCrcs.length; i++)
            {
                if (record.chunkCrc(i) != chunkCrcs[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
