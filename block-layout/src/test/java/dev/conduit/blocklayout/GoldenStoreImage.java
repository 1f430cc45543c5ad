package dev.conduit.blocklayout;

import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.MemoryNamespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operations behind {@code format/v1/store.img.gz} and what opening it must show. */
final class GoldenStoreImage
{
    static final long CAPACITY = 4L << 20;

    private GoldenStoreImage()
    {
    }

    /** @return a one-namespace store with a checkpoint, then a journal tail (not closed, so the tail stays). */
    static MemoryNamespace build()
    {
        final MemoryNamespace ns = MemoryNamespace.allocate("golden", CAPACITY);
        ObjectStore.format(List.of(ns), FormatOptions.DEFAULT.withJournalBytes(1 << 20)
            .withIdentity(GoldenFormatV1Test.STORE, GoldenFormatV1Test.SALT, GoldenFormatV1Test.CREATED_MS));
        final long[] clock = {GoldenFormatV1Test.CREATED_MS};
        final ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT.withClock(() -> clock[0]++));
        store.put("a/small", TestStores.content(1, 100), new ObjectMetadata("text/plain", Map.of("tested", "true")));
        store.put("a/medium", TestStores.content(2, 70_000), ObjectMetadata.NONE);
        store.put("b/empty", new byte[0], ObjectMetadata.NONE);
        store.checkpoint();
        store.put("a/small", TestStores.content(3, 200), ObjectMetadata.NONE);
        store.put("c/tail", TestStores.content(4, 5000), ObjectMetadata.NONE);
        store.delete("b/empty");
        // Abandoned without close(): the image keeps its journal tail, as after a crash.
        return ns.copy("golden-image");
    }

    static void verify(final ObjectStore store)
    {
        assertEquals(3, store.info().objectCount());
        assertArrayEquals(TestStores.content(3, 200), store.getBytes("a/small"));
        assertArrayEquals(TestStores.content(2, 70_000), store.getBytes("a/medium"));
        assertArrayEquals(TestStores.content(4, 5000), store.getBytes("c/tail"));
        assertTrue(store.find("b/empty").isEmpty());
        final ObjectRecord small = store.stat("a/small");
        assertEquals(4, small.version());
        assertEquals(GoldenFormatV1Test.CREATED_MS + 3, small.createdMs());
        assertEquals(ObjectRecord.DEFAULT_CONTENT_TYPE, small.contentType());
        assertEquals(Map.of(), small.userMetadata());
        assertEquals(GoldenFormatV1Test.STORE, store.info().storeUuid());
    }
}
