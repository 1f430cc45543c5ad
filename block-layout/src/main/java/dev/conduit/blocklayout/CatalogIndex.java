package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.conduit.core.ConduitException;

/**
 * The in-memory catalog: object record bytes ({@link ObjectRecordDescriptor}) ordered by unsigned
 * key, in a two-level structure of sorted leaves. Each object costs its record bytes, one array
 * header and one reference, which keeps the heap under 200 bytes per small object at a million
 * objects; no per-object Java objects are kept.
 *
 * <p>Leaves hold up to {@link #LEAF_CAPACITY} records and split in half when full, so an insert moves
 * at most a leaf's worth of references plus the leaf directory. Checkpoints load with
 * {@link #appendSorted(byte[])}, which fills leaves completely.
 *
 * <p>Threading: readers and the single committing thread may call concurrently; a read-write lock
 * guards the structure. Record arrays are never mutated once inserted, so a reference obtained under
 * the lock can be decoded after it is released.
 */
final class CatalogIndex
{
    static final int LEAF_CAPACITY = 256;

    /**
     * How records are ordered: the catalog of current versions by key; the version history by key,
     * then newest version first ({@link #BY_KEY_NEWEST_FIRST}). A search key is what
     * {@link #sortKey} makes of a record.
     */
    interface Order
    {
        /**
         * @param record record bytes.
         * @return the search key that finds it.
         */
        byte[] sortKey(byte[] record);

        /**
         * @param record    record bytes.
         * @param sortKey   a search key.
         * @return negative, 0 or positive as the record sorts before, at or after {@code sortKey}.
         */
        int compare(byte[] record, byte[] sortKey);

        /**
         * @param a record bytes.
         * @param b record bytes.
         * @return the order of {@code a} and {@code b}.
         */
        int compareRecords(byte[] a, byte[] b);
    }

    /** Current versions: one record per key, search key = UTF-8 key. */
    static final Order BY_KEY = new Order()
    {
        @Override
        public byte[] sortKey(final byte[] record)
        {
            return Arrays.copyOfRange(record, 2, 2 + ObjectRecordDescriptor.keyLength(record));
        }

        @Override
        public int compare(final byte[] record, final byte[] sortKey)
        {
            return ObjectRecordDescriptor.compareKey(record, sortKey);
        }

        @Override
        public int compareRecords(final byte[] a, final byte[] b)
        {
            return Arrays.compareUnsigned(a, 2, 2 + ObjectRecordDescriptor.keyLength(a), b, 2, 2 + ObjectRecordDescriptor.keyLength(b));
        }
    };

    /**
     * The version history: key ascending, then version descending. Search key = UTF-8 key followed
     * by the version as a u64 ({@link #historyKey}).
     */
    static final Order BY_KEY_NEWEST_FIRST = new Order()
    {
        @Override
        public byte[] sortKey(final byte[] record)
        {
            final int k = ObjectRecordDescriptor.keyLength(record);
            final byte[] sk = Arrays.copyOfRange(record, 2, 2 + k + 8);
            Bytes.u64(sk, k, ObjectRecordDescriptor.version(record));
            return sk;
        }

        @Override
        public int compare(final byte[] record, final byte[] sortKey)
        {
            final int k = sortKey.length - 8;
            final int cmp = Arrays.compareUnsigned(record, 2, 2 + ObjectRecordDescriptor.keyLength(record), sortKey, 0, k);
            return cmp != 0 ? cmp : Long.compareUnsigned(Bytes.u64(sortKey, k), ObjectRecordDescriptor.version(record));
        }

        @Override
        public int compareRecords(final byte[] a, final byte[] b)
        {
            final int cmp = BY_KEY.compareRecords(a, b);
            return cmp != 0 ? cmp : Long.compareUnsigned(ObjectRecordDescriptor.version(b), ObjectRecordDescriptor.version(a));
        }
    };

    /** Visits records in key order; returns false to stop. */
    @FunctionalInterface
    interface Visitor
    {
        boolean visit(byte[] record);
    }

    /** Told of every change, under the write lock, so it sees changes in catalog order. */
    interface Observer
    {
        /**
         * Called once, first, with every record present.
         *
         * @param records the catalog's records in key order.
         */
        void load(List<byte[]> records);

        /**
         * @param oldRecord the record replaced or removed, or null.
         * @param newRecord the record published, or null for a removal.
         */
        void changed(byte[] oldRecord, byte[] newRecord);
    }

    private static final class Leaf
    {
        private final byte[][] records = new byte[LEAF_CAPACITY][];
        private int count;

        private int search(final Order order, final byte[] key)
        {
            int low = 0;
            int high = count - 1;
            while (low <= high)
            {
                final int mid = (low + high) >>> 1;
                final int cmp = order.compare(records[mid], key);
                if (cmp < 0)
                {
                    low = mid + 1;
                }
                else if (cmp > 0)
                {
                    high = mid - 1;
                }
                else
                {
                    return mid;
                }
            }
            return -(low + 1);
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Order order;
    private Leaf[] leaves = {new Leaf()};
    private int leafCount = 1;
    private long size;
    private long recordBytes;
    private Observer observer;

    /** A catalog of current versions, ordered by key. */
    CatalogIndex()
    {
        this(BY_KEY);
    }

    /**
     * @param order how records are ordered and found.
     */
    CatalogIndex(final Order order)
    {
        this.order = order;
    }

    /**
     * @param key     UTF-8 key.
     * @param version a version.
     * @return the {@link #BY_KEY_NEWEST_FIRST} search key of that version of {@code key}.
     */
    static byte[] historyKey(final byte[] key, final long version)
    {
        final byte[] sk = Arrays.copyOf(key, key.length + 8);
        Bytes.u64(sk, key.length, version);
        return sk;
    }

    /** @return how many objects the catalog holds. */
    long size()
    {
        lock.readLock().lock();
        try
        {
            return size;
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    /** @return the sum of all record lengths (the checkpoint payload, less 4 bytes per record). */
    long recordBytes()
    {
        lock.readLock().lock();
        try
        {
            return recordBytes;
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    /**
     * @param key UTF-8 key.
     * @return the record bytes, or null.
     */
    byte[] get(final byte[] key)
    {
        lock.readLock().lock();
        try
        {
            final Leaf leaf = leaves[leafFor(key)];
            final int i = leaf.search(order, key);
            return i >= 0 ? leaf.records[i] : null;
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    /**
     * Inserts or replaces by the record's key.
     *
     * @param record record bytes (not mutated afterwards).
     * @return the replaced record, or null.
     */
    byte[] put(final byte[] record)
    {
        final byte[] key = order.sortKey(record);
        lock.writeLock().lock();
        try
        {
            final int li = leafFor(key);
            final Leaf leaf = leaves[li];
            final int i = leaf.search(order, key);
            if (i >= 0)
            {
                final byte[] old = leaf.records[i];
                leaf.records[i] = record;
                recordBytes += record.length - old.length;
                notifyObserver(old, record);
                return old;
            }
            insert(li, -(i + 1), record);
            size++;
            recordBytes += record.length;
            notifyObserver(null, record);
            return null;
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * @param key UTF-8 key.
     * @return the removed record, or null when absent.
     */
    byte[] remove(final byte[] key)
    {
        lock.writeLock().lock();
        try
        {
            final int li = leafFor(key);
            final Leaf leaf = leaves[li];
            final int i = leaf.search(order, key);
            if (i < 0)
            {
                return null;
            }
            final byte[] old = leaf.records[i];
            System.arraycopy(leaf.records, i + 1, leaf.records, i, leaf.count - i - 1);
            leaf.records[--leaf.count] = null;
            if (leaf.count == 0 && leafCount > 1)
            {
                System.arraycopy(leaves, li + 1, leaves, li, leafCount - li - 1);
                leaves[--leafCount] = null;
            }
            size--;
            recordBytes -= old.length;
            notifyObserver(old, null);
            return old;
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * Shows {@code newObserver} every record present, then every later change, with no change in
     * between missed or seen twice (both happen under the write lock).
     *
     * @param newObserver the observer; at most one is attached.
     */
    void attach(final Observer newObserver)
    {
        lock.writeLock().lock();
        try
        {
            if (observer != null)
            {
                throw new IllegalStateException("an observer is already attached");
            }
            final List<byte[]> records = new ArrayList<>((int)Math.min(size, Integer.MAX_VALUE - 8));
            for (int li = 0; li < leafCount; li++)
            {
                final Leaf leaf = leaves[li];
                records.addAll(Arrays.asList(leaf.records).subList(0, leaf.count));
            }
            newObserver.load(records);
            observer = newObserver;
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    private void notifyObserver(final byte[] oldRecord, final byte[] newRecord)
    {
        if (observer != null)
        {
            observer.changed(oldRecord, newRecord);
        }
    }

    /**
     * Bulk load in key order (checkpoint replay); fills leaves completely.
     *
     * @param record record bytes whose key is greater than every key present.
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} when out of order.
     */
    void appendSorted(final byte[] record)
    {
        lock.writeLock().lock();
        try
        {
            Leaf last = leaves[leafCount - 1];
            if (last.count > 0 && order.compareRecords(last.records[last.count - 1], record) >= 0)
            {
                throw LayoutErrors.corrupt("checkpoint", "records out of key order at " + ObjectRecordDescriptor.key(record));
            }
            if (last.count == LEAF_CAPACITY)
            {
                last = new Leaf();
                addLeaf(leafCount, last);
            }
            last.records[last.count++] = record;
            size++;
            recordBytes += record.length;
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * Visits records in key order from {@code from} (all when null), under the read lock.
     *
     * @param from      UTF-8 key or null.
     * @param inclusive whether a record with key {@code from} itself is visited.
     * @param visitor   returns false to stop.
     */
    void scan(final byte[] from, final boolean inclusive, final Visitor visitor)
    {
        lock.readLock().lock();
        try
        {
            int li = 0;
            int i = 0;
            if (from != null)
            {
                li = leafFor(from);
                final int found = leaves[li].search(order, from);
                i = found >= 0 ? (inclusive ? found : found + 1) : -(found + 1);
            }
            for (; li < leafCount; li++, i = 0)
            {
                final Leaf leaf = leaves[li];
                for (; i < leaf.count; i++)
                {
                    if (!visitor.visit(leaf.records[i]))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    private int leafFor(final byte[] key)
    {
        int low = 1;
        int high = leafCount - 1;
        int result = 0;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (order.compare(leaves[mid].records[0], key) <= 0)
            {
                result = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return result;
    }

    private void insert(final int li, final int position, final byte[] record)
    {
        Leaf leaf = leaves[li];
        int at = position;
        if (leaf.count == LEAF_CAPACITY)
        {
            final Leaf right = new Leaf();
            final int half = LEAF_CAPACITY / 2;
            System.arraycopy(leaf.records, half, right.records, 0, LEAF_CAPACITY - half);
            Arrays.fill(leaf.records, half, LEAF_CAPACITY, null);
            right.count = LEAF_CAPACITY - half;
            leaf.count = half;
            addLeaf(li + 1, right);
            if (at > half)
            {
                leaf = right;
                at -= half;
            }
        }
        System.arraycopy(leaf.records, at, leaf.records, at + 1, leaf.count - at);
        leaf.records[at] = record;
        leaf.count++;
    }

    private void addLeaf(final int at, final Leaf leaf)
    {
        if (leafCount == leaves.length)
        {
            leaves = Arrays.copyOf(leaves, leaves.length * 2);
        }
        System.arraycopy(leaves, at, leaves, at + 1, leafCount - at);
        leaves[at] = leaf;
        leafCount++;
    }
}
