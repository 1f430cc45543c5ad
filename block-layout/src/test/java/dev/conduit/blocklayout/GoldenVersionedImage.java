package dev.conduit.blocklayout;

import java.util.List;

import dev.conduit.blocklayout.namespace.MemoryNamespace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operations behind {@code format/v2/store.img.gz} and what opening it must show. */
final class GoldenVersionedImage
{
    private static final ObjectMetadata VERSIONED = ObjectMetadata.NONE.withVersioning(VersioningMode.ENABLED);
    private static final ObjectMetadata SUSPENDED = ObjectMetadata.NONE.withVersioning(VersioningMode.SUSPENDED);

    private GoldenVersionedImage()
    {
    }

    /** @return a one-namespace store whose checkpoint and journal tail both hold version chains. */
    static MemoryNamespace build()
    {
        final MemoryNamespace ns = MemoryNamespace.allocate("golden", GoldenStoreImage.CAPACITY);
        ObjectStore.format(List.of(ns), FormatOptions.DEFAULT.withJournalBytes(1 << 20)
            .withIdentity(GoldenFormatV1Test.STORE, GoldenFormatV1Test.SALT, GoldenFormatV1Test.CREATED_MS));
        final long[] clock = {GoldenFormatV1Test.CREATED_MS};
        final ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT.withClock(() -> clock[0]++));
        store.put("k", TestStores.content(1, 100), ObjectMetadata.NONE);           // v1: the null version
        store.put("k", TestStores.content(2, 200), VERSIONED);                     // v2
        store.put("k", TestStores.content(3, 300), VERSIONED);                     // v3
        store.putDeleteMarker("gone", VersioningMode.ENABLED);                     // v4: a marker with nothing under it
        store.checkpoint();
        store.putDeleteMarker("k", VersioningMode.ENABLED);                        // v5: k reads as deleted
        store.put("s", TestStores.content(4, 400), SUSPENDED);                     // v6: null
        store.put("s", TestStores.content(5, 500), SUSPENDED);                     // v7: replaces the null version
        store.deleteVersion("k", 2);                                               // v8
        return ns.copy("golden-image");
    }

    static void verify(final ObjectStore store)
    {
        assertTrue(store.find("k").isEmpty());
        assertTrue(store.findNewest("k").orElseThrow().isDeleteMarker());
        final List<VersionPage.Entry> k = store.listVersions(VersionListRequest.of("k", 10)).versions();
        assertEquals(List.of(5L, 3L, 0L), k.stream().map(e -> e.record().versionId()).toList());
        assertTrue(k.getFirst().latest());
        assertFalse(k.get(1).latest());
        assertArrayEquals(TestStores.content(3, 300), store.openVersion("k", 3).readAllBytes());
        assertArrayEquals(TestStores.content(1, 100), store.openVersion("k", 0).readAllBytes());
        assertArrayEquals(TestStores.content(5, 500), store.getBytes("s"));
        assertEquals(1, store.listVersions(VersionListRequest.of("s", 10)).versions().size());
        assertTrue(store.findNewest("gone").orElseThrow().isDeleteMarker());
        assertEquals(new VersionSpace(1, 4096, 2, 8192, 2), store.versionSpace(""));
    }
}
