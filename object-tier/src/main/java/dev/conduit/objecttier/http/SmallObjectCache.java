package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.objecttier.metrics.PrometheusText;
import io.netty.buffer.ByteBuf;

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
 * <p>Eviction resists scans (S3-FIFO): a new entry goes into a small probation queue (a tenth of
 * the capacity); when the cache is over capacity, the oldest probation entry moves to the main
 * queue if a GET hit it while on probation, and is dropped otherwise (its key is remembered in a
 * ghost list, so a key that comes back soon goes straight to main). The main queue is a CLOCK: its
 * oldest entry goes back to the end, one use spent, while it has uses left (a hit adds one, up to
 * {@link #MAX_USES}), and is dropped when it has none. A scan of keys read once therefore passes
 * through probation and never displaces what is read again and again. A hit only bumps its entry's
 * use count (no lock); fills, evictions and stale drops take the cache's lock.
 *
 * <p>Memory is direct (outside the heap), freed by the garbage collector once no entry and no
 * response in flight refer to it: a hit is a recycled view of the entry's memory
 * ({@link CachedPiece}) whose release frees nothing, so it never races an eviction.
 *
 * <p>Threading: any thread.
 */
public final class SmallObjectCache
{
    /** Largest object kept. */
    public static final int MAX_OBJECT_BYTES = 64 << 10;

    /** Most uses a main-queue entry banks (each saves it from one pass of the clock). */
    static final int MAX_USES = 3;

    private final long capacityBytes;
    private final long probationBytes;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    // Guarded by this: the two queues (entries dropped meanwhile are skipped when they come up), the
    // probation queue's bytes, and the ghost keys (oldest first, at most as many as entries held).
    private final ArrayDeque<Entry> probation = new ArrayDeque<>();
    private final ArrayDeque<Entry> main = new ArrayDeque<>();
    private final ArrayDeque<String> ghostOrder = new ArrayDeque<>();
    private final HashSet<String> ghosts = new HashSet<>();
    private long probationHeldBytes;
    private int droppedQueued;
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
        this.probationBytes = capacityBytes / 10;
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
        entry.used();
        hits.increment();
        // A recycled view of the entry's memory with its own indexes and reference count.
        return CachedPiece.take(entry.body, entry.spares);
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
        final Entry entry = new Entry(record, body);
        synchronized (this)
        {
            final Entry replaced = entries.put(entry.key, entry);
            if (replaced != null)
            {
                droppedInQueue(replaced);
            }
            bytes.addAndGet(sizeBytes);
            if (ghosts.remove(entry.key))
            {
                // Read again soon after it was dropped from probation: a key in use, not a scan.
                entry.inMain = true;
                main.addLast(entry);
            }
            else
            {
                probation.addLast(entry);
                probationHeldBytes += sizeBytes;
            }
            fills.increment();
            while (bytes.get() > capacityBytes && evictOne())
            {
                evictions.increment();
            }
        }
    }

    /** Guarded by this: drops one entry (moving probation entries that were hit to main on the way). */
    private boolean evictOne()
    {
        while (true)
        {
            if (!probation.isEmpty() && (probationHeldBytes > probationBytes || main.isEmpty()))
            {
                final Entry oldest = probation.pollFirst();
                if (oldest.dropped)
                {
                    droppedQueued--;
                    continue;
                }
                probationHeldBytes -= oldest.sizeBytes;
                if (oldest.uses > 0)
                {
                    oldest.inMain = true;
                    main.addLast(oldest);
                    continue;
                }
                remember(oldest.key);
                return drop(oldest);
            }
            final Entry oldest = main.pollFirst();
            if (oldest == null)
            {
                return false;
            }
            if (oldest.dropped)
            {
                droppedQueued--;
                continue;
            }
            if (oldest.uses > 0)
            {
                oldest.uses--;
                main.addLast(oldest);
                continue;
            }
            return drop(oldest);
        }
    }

    /** Guarded by this: drops {@code entry}, just taken off its queue. */
    private boolean drop(final Entry entry)
    {
        if (entries.remove(entry.key, entry))
        {
            entry.dropped = true;
            bytes.addAndGet(-entry.sizeBytes);
            return true;
        }
        return false;
    }

    /**
     * Guarded by this: {@code entry} (replaced, or of a stale version) left the map while still in its queue,
     * where it is skipped when it comes up; queues are swept once such entries are half of them.
     */
    private void droppedInQueue(final Entry entry)
    {
        entry.dropped = true;
        bytes.addAndGet(-entry.sizeBytes);
        if (!entry.inMain)
        {
            probationHeldBytes -= entry.sizeBytes;
        }
        if (++droppedQueued > 16 + (probation.size() + main.size()) / 2)
        {
            probation.removeIf(Entry::isDropped);
            main.removeIf(Entry::isDropped);
            droppedQueued = 0;
        }
    }

    private void remember(final String key)
    {
        if (ghosts.add(key))
        {
            ghostOrder.addLast(key);
        }
        while (ghostOrder.size() > Math.max(16, entries.size()))
        {
            ghosts.remove(ghostOrder.pollFirst());
        }
    }

    private synchronized boolean remove(final String key, final Entry entry)
    {
        if (entries.remove(key, entry))
        {
            droppedInQueue(entry);
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
        /** The bytes, never written after the fill; responses read them through {@link CachedPiece} views. */
        private final ByteBuffer body;
        /** Free views of {@link #body}. */
        private final AtomicReferenceArray<CachedPiece> spares = CachedPiece.spares();
        /** Hits banked (racy increments lose a few at worst; only the order of eviction depends on it). */
        private volatile int uses;
        /** Guarded by the cache: in the main queue rather than on probation. */
        private boolean inMain;
        /** Guarded by the cache: no longer in the map, skipped when it comes up in its queue. */
        private boolean dropped;

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

        boolean isDropped()
        {
            return dropped;
        }

        void used()
        {
            if (uses < MAX_USES)
            {
                uses++;
            }
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
