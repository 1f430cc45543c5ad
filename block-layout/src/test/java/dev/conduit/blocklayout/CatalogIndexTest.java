package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CatalogIndexTest
{
    static byte[] record(final String key, final long version)
    {
        return ObjectRecordDescriptor.encode(new ObjectRecord(key, version, 0, 0, new byte[16], "", Map.of(), 20, new int[0],
            ObjectLayout.EMPTY, 0));
    }

    private static List<String> keys(final CatalogIndex index, final String from, final boolean inclusive)
    {
        final List<String> keys = new ArrayList<>();
        index.scan(from == null ? null : Keys.utf8(from), inclusive, r ->
        {
            keys.add(ObjectRecordDescriptor.key(r));
            return true;
        });
        return keys;
    }

    @Test
    void shouldMatchASortedMapUnderRandomInsertsReplacesAndRemovesAcrossLeafSplits()
    {
        final CatalogIndex index = new CatalogIndex();
        final TreeMap<String, Long> model = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++)
        {
            final String key = "k" + random.nextInt(3000);
            if (random.nextInt(4) == 0)
            {
                final byte[] removed = index.remove(Keys.utf8(key));
                assertEquals(model.remove(key), removed == null ? null : ObjectRecordDescriptor.version(removed));
            }
            else
            {
                final byte[] old = index.put(record(key, i));
                assertEquals(model.put(key, (long)i), old == null ? null : ObjectRecordDescriptor.version(old));
            }
        }
        assertEquals(model.size(), index.size());
        assertEquals(List.copyOf(model.keySet()), keys(index, null, true));
        for (final Map.Entry<String, Long> e : model.entrySet())
        {
            assertEquals(e.getValue(), ObjectRecordDescriptor.version(index.get(Keys.utf8(e.getKey()))));
        }
        final String middle = model.keySet().stream().skip(model.size() / 2).findFirst().orElseThrow();
        assertEquals(List.copyOf(model.tailMap(middle, false).keySet()), keys(index, middle, false));
        assertEquals(List.copyOf(model.tailMap(middle, true).keySet()), keys(index, middle, true));
    }

    @Test
    void shouldOrderKeysByUnsignedUtf8Bytes()
    {
        final CatalogIndex index = new CatalogIndex();
        for (final String k : new String[] {"é", "z", "A", "a", "ключ", "~"})
        {
            index.put(record(k, 1));
        }
        assertEquals(List.of("A", "a", "z", "~", "é", "ключ"), keys(index, null, true));
    }

    @Test
    void shouldTrackRecordBytesForCheckpointSizing()
    {
        final CatalogIndex index = new CatalogIndex();
        final byte[] a = record("a", 1);
        index.put(a);
        index.put(record("bb", 2));
        index.remove(Keys.utf8("bb"));
        assertEquals(a.length, index.recordBytes());
        assertArrayEquals(a, index.get(Keys.utf8("a")));
        assertNull(index.get(Keys.utf8("bb")));
    }

    @Test
    void shouldBulkLoadInOrderAndRejectDisorder()
    {
        final CatalogIndex index = new CatalogIndex();
        for (int i = 0; i < 1000; i++)
        {
            index.appendSorted(record(String.format("k%05d", i), i));
        }
        assertEquals(1000, index.size());
        assertEquals(500, ObjectRecordDescriptor.version(index.get(Keys.utf8("k00500"))));
        final ConduitException e = assertThrows(ConduitException.class, () -> index.appendSorted(record("a", 1)));
        assertEquals(ErrorCode.CORRUPT, e.code());
    }
}
