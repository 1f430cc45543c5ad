package dev.conduit.blocklayout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectStoreTest
{
    private final List<MemoryNamespace> namespaces = TestStores.formatted(2, 32 * MIB, TestStores.SMALL_JOURNAL);

    @AfterEach
    void tearDown()
    {
        TestStores.closeAll(namespaces);
    }

    @Test
    void shouldReturnBytesAndRecordWhenObjectWasPut()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final byte[] data = content(1, 5000);
            final ObjectRecord r = store.put("a/b", data, new ObjectMetadata("text/plain", Map.of("tested", "true")));
            assertEquals(5000, r.sizeBytes());
            assertEquals("text/plain", r.contentType());
            assertEquals(Map.of("tested", "true"), r.userMetadata());
            assertTrue(r.version() > 0);
            assertArrayEquals(data, store.getBytes("a/b"));
            final ObjectRecord stat = store.stat("a/b");
            assertEquals(r.etag(), stat.etag());
            assertEquals(r.version(), stat.version());
        }
    }

    @Test
    void shouldKeepObjectsWhenReopened()
    {
        final byte[] small = content(2, 100);
        final byte[] large = content(3, (int)(5 * MIB + 123));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("small", small, ObjectMetadata.NONE);
            store.put("large", large, ObjectMetadata.NONE);
            store.put("empty", new byte[0], ObjectMetadata.NONE);
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertArrayEquals(small, store.getBytes("small"));
            assertArrayEquals(large, store.getBytes("large"));
            assertEquals(0, store.getBytes("empty").length);
            assertEquals("d41d8cd98f00b204e9800998ecf8427e", store.stat("empty").etag());
        }
    }

    @Test
    void shouldStripeLargeObjectsAcrossNamespaces()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final ObjectRecord r = store.put("big", content(4, (int)(4 * MIB)), ObjectMetadata.NONE);
            assertEquals(2, r.layout().columns().size());
            for (final Column c : r.layout().columns())
            {
                assertEquals(2 * MIB, c.lengthBytes());
                assertEquals(0, c.extents().getFirst().offsetBytes() % MIB);
            }
        }
    }

    @Test
    void shouldReplaceAtomicallyAndFreeOldSpace()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("k", content(5, (int)(3 * MIB)), ObjectMetadata.NONE);
            final long usedAfterFirst = store.space().usedBytes();
            final byte[] second = content(6, (int)(3 * MIB));
            final ObjectRecord r = store.put("k", second, ObjectMetadata.NONE);
            assertArrayEquals(second, store.getBytes("k"));
            assertEquals(usedAfterFirst, store.space().usedBytes(), "old version's space is reused");
            assertEquals(r.version(), store.stat("k").version());
        }
    }

    @Test
    void shouldDeleteAndReportMissingKeys()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("gone", content(7, 10), ObjectMetadata.NONE);
            assertTrue(store.delete("gone"));
            assertFalse(store.delete("gone"));
            final ConduitException e = assertThrows(ConduitException.class, () -> store.getBytes("gone"));
            assertEquals(ErrorCode.NOT_FOUND, e.code());
        }
    }

    @Test
    void shouldListByPrefixWithCursorAndMetadataFilter()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            for (int i = 0; i < 10; i++)
            {
                store.put("ckpt/" + i, content(i, 10), new ObjectMetadata("", Map.of("tested", i % 2 == 0 ? "true" : "false")));
            }
            store.put("other", content(99, 10), ObjectMetadata.NONE);
            final ListPage first = store.list(ListRequest.of("ckpt/", 4));
            assertEquals(List.of("ckpt/0", "ckpt/1", "ckpt/2", "ckpt/3"), first.objects().stream().map(ObjectRecord::key).toList());
            assertTrue(first.truncated());
            final ListPage second = store.list(ListRequest.of("ckpt/", 100).after(first.nextStartAfter()));
            assertEquals(6, second.objects().size());
            assertFalse(second.truncated());
            final ListPage tested = store.list(new ListRequest("ckpt/", "", 100, Map.of("tested", "true")));
            assertEquals(List.of("ckpt/0", "ckpt/2", "ckpt/4", "ckpt/6", "ckpt/8"), tested.objects().stream().map(ObjectRecord::key).toList());
            assertEquals(11, store.list(ListRequest.of("", 100)).objects().size());
        }
    }

    @Test
    void shouldStreamPutAndGet()
    {
        final byte[] data = content(8, (int)(2 * MIB + 7));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final long[] progress = {0};
            store.put("s", new ByteArrayInputStream(data), data.length, ObjectMetadata.NONE, (done, total) -> progress[0] = done);
            assertEquals(data.length, progress[0]);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.get("s", out, ProgressListener.NONE);
            assertArrayEquals(data, out.toByteArray());
        }
    }

    @Test
    void shouldRejectShortStreamsAndReturnTheirSpace()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final long used = store.space().usedBytes();
            final ConduitException e = assertThrows(ConduitException.class,
                () -> store.put("s", new ByteArrayInputStream(new byte[10]), 20, ObjectMetadata.NONE, ProgressListener.NONE));
            assertEquals(ErrorCode.SIZE_MISMATCH, e.code());
            assertEquals(used, store.space().usedBytes());
            assertTrue(store.find("s").isEmpty());
        }
    }

    @Test
    void shouldRejectBadKeysAndMetadata()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertEquals(ErrorCode.KEY_TOO_LONG,
                assertThrows(ConduitException.class, () -> store.put("x".repeat(Keys.MAX_KEY_BYTES + 1), new byte[1], ObjectMetadata.NONE)).code());
            assertEquals(ErrorCode.INVALID_KEY, assertThrows(ConduitException.class, () -> store.put("", new byte[1], ObjectMetadata.NONE)).code());
            assertEquals(ErrorCode.METADATA_TOO_LARGE,
                assertThrows(ConduitException.class, () -> new ObjectMetadata("", Map.of("k", "v".repeat(8192)))).code());
            store.put("x".repeat(Keys.MAX_KEY_BYTES), new byte[1], ObjectMetadata.NONE);
        }
    }

    @Test
    void shouldCheckpointWhenJournalFillsAndReplayOnlyTheTail()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            for (int i = 0; i < 600; i++)
            {
                store.put("k" + (i % 50), content(i, 100), ObjectMetadata.NONE);
            }
            assertTrue(store.counter(StoreCounter.CHECKPOINTS) > 0, "a 1 MiB journal holds fewer than 256 single-put batches");
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertEquals(50, store.info().objectCount());
            assertArrayEquals(content(599, 100), store.getBytes("k49"));
            assertEquals(0, store.info().journalUsedBytes());
        }
    }
}
