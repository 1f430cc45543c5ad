package dev.conduit.blocklayout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A secondary index of the catalog by user metadata, for {@link ObjectStore#find}. It is derived
 * from the catalog, never stored: it is built from the catalog when first needed and then changed
 * by the catalog itself, inside the same critical section that publishes or removes a record, so
 * it is never out of step with the journaled catalog, before or after a crash (a reopened store
 * rebuilds it from the catalog it replayed).
 *
 * <p>Each metadata entry of each record is one posting, a byte string that sorts by entry name,
 * then value, then key, so equality, prefix and range conditions are contiguous ranges:
 *
 * <pre>
 * name* 00 01 'S' value* 00 01 key       every entry, by its text
 * name* 00 01 'N' number(8)    key       entries whose value is a plain decimal, by number
 * </pre>
 *
 * <p>{@code name*}/{@code value*} have each 0x00 byte written as 00 FF, and 00 01 ends them, which
 * keeps byte order equal to string order; {@code number(8)} is the double's bits with the sign bit
 * flipped (all bits for negatives), big-endian, which sorts like the numbers.
 *
 * <p>A query takes the condition with the fewest postings (counted up to
 * {@link #SELECTIVE_LIMIT}), checks the others against each candidate's record, sorts, and pages;
 * when every condition matches more than that, it scans the catalog in key order instead, which
 * costs a page of matches at most.
 *
 * <p>Threading: the committing thread changes it (through {@link CatalogIndex}); queries read it
 * concurrently without locks (a concurrent skip list).
 */
final class MetadataIndex implements CatalogIndex.Observer
{
    /** Candidates a condition may contribute before the query scans the catalog instead. */
    static final int SELECTIVE_LIMIT = 20_000;
    /** Estimated bytes a posting costs beyond its own bytes: skip-list node, index share, array header. */
    static final int POSTING_OVERHEAD_BYTES = 56;

    private static final byte STRING = 'S';
    private static final byte NUMBER = 'N';
    private static final byte ESCAPE = 0x00;
    private static final byte ESCAPED_ZERO = (byte)0xFF;
    private static final byte END = 0x01;

    private final int selectiveLimit;
    private static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    // Replaced once, by load, before any query can see this index; the set view is what queries range over.
    private ConcurrentSkipListMap<byte[], Boolean> postingMap = new ConcurrentSkipListMap<>(ORDER);
    private NavigableSet<byte[]> postings = postingMap.keySet();
    private final AtomicLong postingBytes = new AtomicLong();
    private final AtomicLong postingCount = new AtomicLong();

    /** An index that scans the catalog when every condition has more than {@link #SELECTIVE_LIMIT} postings. */
    MetadataIndex()
    {
        this(SELECTIVE_LIMIT);
    }

    /**
     * @param selectiveLimit candidates a condition may contribute before the query scans instead
     *                       (negative: always scan).
     */
    MetadataIndex(final int selectiveLimit)
    {
        this.selectiveLimit = selectiveLimit;
    }

    /**
     * Builds the index from the whole catalog in linear time after one parallel sort, rather than by
     * a million skip-list insertions under the catalog's write lock.
     */
    @Override
    public void load(final List<byte[]> records)
    {
        final List<byte[]> all = new ArrayList<>(records.size() * 2);
        for (final byte[] record : records)
        {
            all.addAll(postingsOf(record));
        }
        final byte[][] sorted = all.toArray(new byte[0][]);
        Arrays.parallelSort(sorted, ORDER);
        long bytes = 0;
        for (final byte[] posting : sorted)
        {
            bytes += posting.length;
        }
        postingMap = new ConcurrentSkipListMap<>(new SortedPostings(sorted));
        postings = postingMap.keySet();
        postingBytes.set(bytes);
        postingCount.set(sorted.length);
    }

    @Override
    public void changed(final byte[] oldRecord, final byte[] newRecord)
    {
        if (oldRecord != null)
        {
            for (final byte[] posting : postingsOf(oldRecord))
            {
                if (postingMap.remove(posting) != null)
                {
                    postingBytes.addAndGet(-posting.length);
                    postingCount.decrementAndGet();
                }
            }
        }
        if (newRecord != null)
        {
            for (final byte[] posting : postingsOf(newRecord))
            {
                if (postingMap.put(posting, Boolean.TRUE) == null)
                {
                    postingBytes.addAndGet(posting.length);
                    postingCount.incrementAndGet();
                }
            }
        }
    }

    /** @return postings held. */
    long postingCount()
    {
        return postingCount.get();
    }

    /** @return estimated heap the index holds: posting bytes plus {@link #POSTING_OVERHEAD_BYTES} each. */
    long estimatedBytes()
    {
        return postingBytes.get() + postingCount.get() * POSTING_OVERHEAD_BYTES;
    }

    /**
     * @param catalog the catalog this index follows.
     * @param query   the search.
     * @return one page of matches in key order.
     */
    ListPage find(final CatalogIndex catalog, final MetadataQuery query)
    {
        NavigableSet<byte[]> best = null;
        int bestCount = Integer.MAX_VALUE;
        for (final MetadataPredicate predicate : query.predicates())
        {
            final NavigableSet<byte[]> range = range(predicate);
            final int count = countUpTo(range, selectiveLimit + 1);
            if (count < bestCount)
            {
                best = range;
                bestCount = count;
            }
        }
        if (best == null || bestCount > selectiveLimit)
        {
            return scan(catalog, query);
        }
        return fromPostings(catalog, query, best);
    }

    private static ListPage fromPostings(final CatalogIndex catalog, final MetadataQuery query,
        final NavigableSet<byte[]> range)
    {
        final byte[] prefix = Keys.utf8(query.keyPrefix());
        final byte[] after = Keys.utf8(query.startAfter());
        final List<byte[]> keys = new ArrayList<>();
        for (final byte[] posting : range)
        {
            final byte[] key = keyOf(posting);
            if (startsWith(key, prefix) && Arrays.compareUnsigned(key, after) > 0)
            {
                keys.add(key);
            }
        }
        keys.sort(Arrays::compareUnsigned);
        final List<ObjectRecord> hits = new ArrayList<>();
        boolean more = false;
        for (final byte[] key : keys)
        {
            final byte[] record = catalog.get(key);
            // The record may have changed since the posting was read: the record decides.
            if (record == null || !matchesAll(record, query.predicates()))
            {
                continue;
            }
            if (hits.size() == query.limit())
            {
                more = true;
                break;
            }
            hits.add(ObjectRecordDescriptor.decode(record));
        }
        return new ListPage(hits, more, more ? hits.getLast().key() : "");
    }

    private static ListPage scan(final CatalogIndex catalog, final MetadataQuery query)
    {
        final byte[] prefix = Keys.utf8(query.keyPrefix());
        final byte[] from = query.startAfter().isEmpty() || Arrays.compareUnsigned(Keys.utf8(query.startAfter()), prefix) < 0
            ? prefix : Keys.utf8(query.startAfter());
        final boolean inclusive = from == prefix;
        final List<ObjectRecord> hits = new ArrayList<>();
        final boolean[] more = {false};
        catalog.scan(from.length == 0 ? null : from, inclusive, record ->
        {
            if (!ObjectRecordDescriptor.keyStartsWith(record, prefix))
            {
                return false;
            }
            if (!matchesAll(record, query.predicates()))
            {
                return true;
            }
            if (hits.size() == query.limit())
            {
                more[0] = true;
                return false;
            }
            hits.add(ObjectRecordDescriptor.decode(record));
            return true;
        });
        return new ListPage(hits, more[0], more[0] ? hits.getLast().key() : "");
    }

    private static boolean matchesAll(final byte[] record, final List<MetadataPredicate> predicates)
    {
        if (predicates.isEmpty())
        {
            return true;
        }
        final Map<String, String> meta = ObjectRecordDescriptor.userMetadata(record);
        for (final MetadataPredicate predicate : predicates)
        {
            if (!predicate.test(meta))
            {
                return false;
            }
        }
        return true;
    }

    private NavigableSet<byte[]> range(final MetadataPredicate predicate)
    {
        final ByteArrayOutputStream base = new ByteArrayOutputStream(64);
        escaped(base, predicate.name());
        base.write(predicate.op().numeric() ? NUMBER : STRING);
        final byte[] fieldStart = base.toByteArray();
        final byte[] fieldEnd = CatalogListing.successor(fieldStart);
        return switch (predicate.op())
        {
            case EXISTS -> postings.subSet(fieldStart, true, fieldEnd, false);
            case EQ ->
            {
                escaped(base, predicate.value());
                final byte[] exact = base.toByteArray();
                yield postings.subSet(exact, true, CatalogListing.successor(exact), false);
            }
            case PREFIX ->
            {
                final byte[] start = concat(fieldStart, escapedValueBytes(predicate.value()));
                yield postings.subSet(start, true, CatalogListing.successor(start), false);
            }
            default -> numericRange(predicate, fieldStart, fieldEnd);
        };
    }

    private NavigableSet<byte[]> numericRange(final MetadataPredicate predicate, final byte[] fieldStart,
        final byte[] fieldEnd)
    {
        final byte[] at = concat(fieldStart, sortableNumber(MetadataPredicate.number(predicate.value())));
        final byte[] pastAt = CatalogListing.successor(at);
        return switch (predicate.op())
        {
            case LT -> postings.subSet(fieldStart, true, at, false);
            case LE -> postings.subSet(fieldStart, true, pastAt, false);
            case GT -> postings.subSet(pastAt, true, fieldEnd, false);
            default -> postings.subSet(at, true, fieldEnd, false);
        };
    }

    private static int countUpTo(final NavigableSet<byte[]> range, final int cap)
    {
        int n = 0;
        for (final byte[] ignored : range)
        {
            if (++n >= cap)
            {
                break;
            }
        }
        return n;
    }

    static List<byte[]> postingsOf(final byte[] record)
    {
        final Map<String, String> meta = ObjectRecordDescriptor.userMetadata(record);
        if (meta.isEmpty())
        {
            return List.of();
        }
        final byte[] key = Arrays.copyOfRange(record, 2, 2 + ObjectRecordDescriptor.keyLength(record));
        final List<byte[]> out = new ArrayList<>(meta.size() * 2);
        final ByteArrayOutputStream posting = new ByteArrayOutputStream(64 + key.length);
        for (final Map.Entry<String, String> entry : meta.entrySet())
        {
            posting.reset();
            escaped(posting, entry.getKey());
            posting.write(STRING);
            escaped(posting, entry.getValue());
            posting.writeBytes(key);
            out.add(posting.toByteArray());
            final double number = MetadataPredicate.number(entry.getValue());
            if (!Double.isNaN(number))
            {
                posting.reset();
                escaped(posting, entry.getKey());
                posting.write(NUMBER);
                posting.writeBytes(sortableNumber(number));
                posting.writeBytes(key);
                out.add(posting.toByteArray());
            }
        }
        return out;
    }

    /** @return the key a posting ends with. */
    static byte[] keyOf(final byte[] posting)
    {
        int at = endOfEscaped(posting, 0);
        final byte kind = posting[at++];
        at = kind == NUMBER ? at + Long.BYTES : endOfEscaped(posting, at);
        return Arrays.copyOfRange(posting, at, posting.length);
    }

    private static int endOfEscaped(final byte[] b, final int from)
    {
        int at = from;
        while (!(b[at] == ESCAPE && b[at + 1] == END))
        {
            at += b[at] == ESCAPE ? 2 : 1;
        }
        return at + 2;
    }

    private static void escaped(final ByteArrayOutputStream out, final String text)
    {
        out.writeBytes(escapedValueBytes(text));
        out.write(ESCAPE);
        out.write(END);
    }

    private static byte[] escapedValueBytes(final String text)
    {
        final byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 4);
        for (final byte b : raw)
        {
            out.write(b);
            if (b == ESCAPE)
            {
                out.write(ESCAPED_ZERO);
            }
        }
        return out.toByteArray();
    }

    static byte[] sortableNumber(final double value)
    {
        final long bits = Double.doubleToLongBits(value);
        final long sortable = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        final byte[] out = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++)
        {
            out[i] = (byte)(sortable >>> (56 - 8 * i));
        }
        return out;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean startsWith(final byte[] key, final byte[] prefix)
    {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * A sorted array seen as the {@link SortedMap} that {@link ConcurrentSkipListMap}'s copy
     * constructor builds from in one pass; it only reads the comparator and iterates the entries,
     * so nothing else is offered.
     */
    private static final class SortedPostings extends AbstractMap<byte[], Boolean> implements SortedMap<byte[], Boolean>
    {
        private final byte[][] sorted;

        SortedPostings(final byte[][] sorted)
        {
            this.sorted = sorted;
        }

        @Override
        public Comparator<? super byte[]> comparator()
        {
            return ORDER;
        }

        @Override
        public Set<Map.Entry<byte[], Boolean>> entrySet()
        {
            return new AbstractSet<>()
            {
                @Override
                public Iterator<Map.Entry<byte[], Boolean>> iterator()
                {
                    return Arrays.stream(sorted).map(p -> Map.entry(p, Boolean.TRUE)).iterator();
                }

                @Override
                public int size()
                {
                    return sorted.length;
                }
            };
        }

        @Override
        public SortedMap<byte[], Boolean> subMap(final byte[] fromKey, final byte[] toKey)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<byte[], Boolean> headMap(final byte[] toKey)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<byte[], Boolean> tailMap(final byte[] fromKey)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] firstKey()
        {
            return sorted[0];
        }

        @Override
        public byte[] lastKey()
        {
            return sorted[sorted.length - 1];
        }
    }
}
