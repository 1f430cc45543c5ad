package dev.conduit.objecttier.tier;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

import dev.conduit.blocklayout.SpaceReport;

/**
 * Frees cold-backed local copies when the store fills up: above {@code tier.highWatermarkPercent}
 * it evicts until the store is below {@code tier.lowWatermarkPercent}, and a bucket whose copies
 * exceed its capacity share of the store is trimmed back to it. Only copies that are in the cold
 * tier byte for byte ({@code synced}, version checked under the key's tier lock) of read-through
 * buckets are candidates, and never keys under a pinned prefix; an object not yet written back is
 * never a candidate (it has no {@code synced} record of its version).
 *
 * <p>Policy: S3-FIFO (docs/TIERING.md says why): new copies enter a small FIFO (10% of the
 * tracked bytes); one that is read again before it leaves moves to the main FIFO, one that is not
 * is evicted and remembered in a ghost set, so a one-time scan passes through the small queue
 * without flushing the working set. A copy re-admitted while its key is a ghost enters main. Main
 * is FIFO with a 2-bit frequency: a copy read since its last pass is reinserted with one less.
 * Evicting removes the local object; its record becomes {@code cold-only}, and the next GET fills
 * it again.
 *
 * <p>Threading: every method but {@link #hit} is synchronized; deletes happen outside the monitor.
 * A hit takes no lock (every GET of a tiered bucket makes one): it finds its node in a concurrent
 * map and bumps the node's 2-bit counter without a lock; a bump lost to a race only makes the
 * policy a little less precise.
 */
final class Evictor
{
    private static final int MAX_FREQ = 3;
    private static final int SMALL_PERCENT = 10;

    private final Tiering tiering;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final ArrayDeque<Node> small = new ArrayDeque<>();
    private final ArrayDeque<Node> main = new ArrayDeque<>();
    private final LinkedHashSet<String> ghosts = new LinkedHashSet<>();
    private final Map<String, Long> bucketBytes = new HashMap<>();
    private long smallBytes;
    private long trackedBytes;

    Evictor(final Tiering tiering)
    {
        this.tiering = tiering;
    }

    /**
     * A synced copy is now local: it becomes a candidate.
     *
     * @param bucket    the bucket.
     * @param key       the key.
     * @param version   the local version that is synced.
     * @param sizeBytes its size.
     */
    synchronized void admit(final String bucket, final String key, final long version, final long sizeBytes)
    {
        final String name = bucket + "/" + key;
        final Node existing = nodes.get(name);
        if (existing != null)
        {
            existing.version = version;
            return;
        }
        final Node node = new Node(bucket, key, version, sizeBytes);
        nodes.put(name, node);
        trackedBytes += sizeBytes;
        bucketBytes.merge(bucket, sizeBytes, Long::sum);
        if (ghosts.remove(name))
        {
            node.inMain = true;
            main.addLast(node);
        }
        else
        {
            small.addLast(node);
            smallBytes += sizeBytes;
        }
    }

    /**
     * @param bucket the bucket.
     * @param key    the key read.
     */
    void hit(final String bucket, final String key)
    {
        final Node node = nodes.get(bucket + "/" + key);
        if (node != null && node.freq < MAX_FREQ)
        {
            node.freq++;
        }
    }

    /**
     * Evicts while the store is above the high watermark (down to the low one) or a bucket holds
     * more than its share.
     *
     * @return objects evicted.
     */
    int run()
    {
        int evicted = 0;
        final TierSettings settings = tiering.settings();
        final SpaceReport space = tiering.local().store().space();
        final long capacity = space.capacityBytes();
        final boolean overHigh = space.usedBytes() * 100 > capacity * settings.highWatermarkPercent();
        long toFree = overHigh ? space.usedBytes() - capacity * settings.lowWatermarkPercent() / 100 : 0;
        while (true)
        {
            final Node victim = nextVictim(toFree > 0, capacity);
            if (victim == null)
            {
                return evicted;
            }
            if (tryEvict(victim))
            {
                evicted++;
                toFree -= victim.sizeBytes;
            }
        }
    }

    private synchronized Node nextVictim(final boolean needSpace, final long capacity)
    {
        // Bound the work of one call: every node is looked at at most a few times.
        for (int scanned = 0, limit = 4 * (nodes.size() + 1); scanned < limit; scanned++)
        {
            final boolean fromSmall = !small.isEmpty() && (smallBytes * 100 > trackedBytes * SMALL_PERCENT || main.isEmpty());
            final ArrayDeque<Node> queue = fromSmall ? small : main;
            final Node node = queue.pollFirst();
            if (node == null)
            {
                return null;
            }
            if (fromSmall)
            {
                smallBytes -= node.sizeBytes;
            }
            final TierBinding binding = tiering.binding(node.bucket).orElse(null);
            final boolean overShare = binding != null
                && bucketBytes.getOrDefault(node.bucket, 0L) > (long)(binding.capacityShare() * capacity);
            if (binding == null || !binding.policy().readThrough() || binding.isPinned(node.key))
            {
                forget(node);
                continue;
            }
            if (!needSpace && !overShare)
            {
                // Nothing to free: put it back where it was and stop.
                if (fromSmall)
                {
                    small.addFirst(node);
                    smallBytes += node.sizeBytes;
                }
                else
                {
                    main.addFirst(node);
                }
                return null;
            }
            if (node.freq > 0)
            {
                node.freq--;
                node.inMain = true;
                main.addLast(node);
                continue;
            }
            forget(node);
            if (fromSmall)
            {
                ghosts.add(node.bucket + "/" + node.key);
                trimGhosts();
            }
            return node;
        }
        return null;
    }

    private boolean tryEvict(final Node node)
    {
        final Lock lock = tiering.locks().of(node.bucket, node.key).writeLock();
        if (!lock.tryLock())
        {
            return false;
        }
        try
        {
            final TierRecord record = tiering.catalog().find(node.bucket, node.key).orElse(null);
            if (record == null || record.state() != TierState.SYNCED || !record.describes(node.version))
            {
                return false;
            }
            if (!tiering.local().deleteIfVersion(node.bucket, node.key, node.version))
            {
                return false;
            }
            tiering.catalog().put(node.bucket, node.key, new TierRecord(TierState.COLD_ONLY, 0, record.sizeBytes(), record.coldEtag(),
                record.checkedMs(), 0, 0), record.recordVersion());
            tiering.metrics().evictions.increment();
            tiering.metrics().evictedBytes.add(node.sizeBytes);
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void forget(final Node node)
    {
        nodes.remove(node.bucket + "/" + node.key);
        trackedBytes -= node.sizeBytes;
        bucketBytes.merge(node.bucket, -node.sizeBytes, Long::sum);
    }

    private void trimGhosts()
    {
        final Iterator<String> oldest = ghosts.iterator();
        while (ghosts.size() > nodes.size() + 1 && oldest.hasNext())
        {
            oldest.next();
            oldest.remove();
        }
    }

    private static final class Node
    {
        final String bucket;
        final String key;
        final long sizeBytes;
        long version;
        volatile int freq;
        boolean inMain;

        Node(final String bucket, final String key, final long version, final long sizeBytes)
        {
            this.bucket = bucket;
            this.key = key;
            this.version = version;
            this.sizeBytes = sizeBytes;
        }
    }
}
