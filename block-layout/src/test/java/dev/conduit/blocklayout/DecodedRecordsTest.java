package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Opening an unchanged object again reuses its decoded record; a new version never sees the old one. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DecodedRecordsTest
{
    private final List<MemoryNamespace> namespaces = TestStores.formatted(1, 32 * TestStores.MIB, TestStores.SMALL_JOURNAL);

    @AfterEach
    void tearDown()
    {
        TestStores.closeAll(namespaces);
    }

    @Test
    void shouldReuseTheDecodedRecordUntilTheKeyGetsANewVersion()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("shard", bytes(1, 300_000), new ObjectMetadata("application/x-tar", Map.of("k", "v")));
            final ObjectRecord first;
            try (ObjectReadHandle a = store.openObject("shard"))
            {
                first = a.record();
            }
            try (ObjectReadHandle b = store.openObject("shard"))
            {
                assertSame(first, b.record());
            }
            final byte[] replaced = bytes(2, 200_000);
            final ObjectRecord put = store.put("shard", replaced, ObjectMetadata.NONE);
            try (ObjectReadHandle c = store.openObject("shard"))
            {
                assertNotSame(first, c.record());
                assertEquals(put.version(), c.record().version());
                assertNotEquals(first.etag(), c.record().etag());
                assertEquals(200_000, c.record().sizeBytes());
                assertArrayEquals(replaced, c.readAllBytes());
            }
        }
    }

    @Test
    void shouldDecodeEveryKeyRightWhenMoreKeysThanTheCacheHoldsShareIt()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final int keys = DecodedRecords.CAPACITY * 2;
            final List<ObjectRecord> put = new ArrayList<>();
            for (int i = 0; i < keys; i++)
            {
                put.add(store.put("k" + i, bytes(i, 100 + i), ObjectMetadata.NONE));
            }
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < keys; i++)
                {
                    try (ObjectReadHandle h = store.openObject("k" + i))
                    {
                        assertEquals("k" + i, h.record().key());
                        assertEquals(put.get(i).etag(), h.record().etag());
                        assertEquals(100 + i, h.record().sizeBytes());
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepEveryRecordOfASmallHotSetWhateverTheirIdentityHashes()
    {
        // Sixteen keys in 256 direct-mapped slots collide in about four runs in ten; a set of four ways
        // overflows only when five of them share a set (about one run in a million).
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final int keys = 16;
            final List<ObjectRecord> first = new ArrayList<>();
            for (int i = 0; i < keys; i++)
            {
                store.put("hot" + i, bytes(i, 1000 + i), ObjectMetadata.NONE);
            }
            for (int i = 0; i < keys; i++)
            {
                try (ObjectReadHandle h = store.openObject("hot" + i))
                {
                    first.add(h.record());
                }
            }
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < keys; i++)
                {
                    try (ObjectReadHandle h = store.openObject("hot" + i))
                    {
                        assertSame(first.get(i), h.record(), "hot" + i + " decoded again in round " + round);
                    }
                }
            }
        }
    }

    private static byte[] bytes(final int seed, final int size)
    {
        final byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
