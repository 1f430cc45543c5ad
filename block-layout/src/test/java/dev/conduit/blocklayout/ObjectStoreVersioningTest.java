package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version chain (format v2): versioned and suspended writes, delete markers, version removal, listing, space, reopen. */
@Timeout(60)
class ObjectStoreVersioningTest
{
    private static final ObjectMetadata ON = ObjectMetadata.NONE.withVersioning(VersioningMode.ENABLED);
    private static final ObjectMetadata SUSPENDED = ObjectMetadata.NONE.withVersioning(VersioningMode.SUSPENDED);

    private List<MemoryNamespace> namespaces;
    private ObjectStore store;

    @BeforeEach
    void open()
    {
        namespaces = TestStores.formatted(2, 16 * TestStores.MIB, TestStores.SMALL_JOURNAL);
        store = TestStores.open(namespaces);
    }

    @AfterEach
    void close()
    {
        store.close();
        TestStores.closeAll(namespaces);
    }

    @Test
    void shouldKeepEveryVersionOfAVersionedOverwrite()
    {
        final ObjectRecord v0 = store.put("k", content(0, 5000), ObjectMetadata.NONE);
        final ObjectRecord v1 = store.put("k", content(1, 70_000), ON);
        final ObjectRecord v2 = store.put("k", content(2, 300), ON);
        assertEquals(0, v0.versionId());
        assertEquals(v1.version(), v1.versionId());
        assertTrue(v2.versionId() > v1.versionId());
        assertArrayEquals(content(2, 300), store.getBytes("k"));
        assertArrayEquals(content(1, 70_000), store.openVersion("k", v1.versionId()).readAllBytes());
        assertArrayEquals(content(0, 5000), store.openVersion("k", 0).readAllBytes());
        final List<VersionPage.Entry> versions = store.listVersions(VersionListRequest.of("", 10)).versions();
        assertEquals(List.of(v2.versionId(), v1.versionId(), 0L), versions.stream().map(e -> e.record().versionId()).toList());
        assertEquals(List.of(true, false, false), versions.stream().map(VersionPage.Entry::latest).toList());
        assertEquals(1, store.list(ListRequest.of("", 10)).objects().size(), "listing shows current versions only");
        assertEquals(new VersionSpace(1, 4096, 2, extentBytes(v0) + extentBytes(v1), 0), store.versionSpace(""));
    }

    @Test
    void shouldHideAKeyBehindADeleteMarkerAndRestoreItWhenTheMarkerIsRemoved()
    {
        final ObjectRecord v1 = store.put("k", content(1, 100), ON);
        final ObjectRecord marker = store.putDeleteMarker("k", VersioningMode.ENABLED);
        assertTrue(marker.isDeleteMarker());
        assertTrue(store.find("k").isEmpty());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> store.getBytes("k")).code());
        assertEquals(marker.versionId(), store.findNewest("k").orElseThrow().versionId());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class, () -> store.openVersion("k", marker.versionId())).code());
        assertTrue(store.list(ListRequest.of("", 10)).objects().isEmpty());
        assertTrue(store.deleteVersion("k", marker.versionId()).orElseThrow().isDeleteMarker());
        assertEquals(v1.versionId(), store.stat("k").versionId());
        assertArrayEquals(content(1, 100), store.getBytes("k"));
    }

    @Test
    void shouldPromoteTheNextVersionWhenTheCurrentOneIsRemovedAndFreeItsSpace()
    {
        final ObjectRecord v1 = store.put("k", content(1, 200_000), ON);
        final long usedOne = store.space().usedBytes();
        final ObjectRecord v2 = store.put("k", content(2, 100), ON);
        final ObjectRecord v3 = store.put("k", content(3, 100), ON);
        assertEquals(v3.versionId(), store.deleteVersion("k", v3.versionId()).orElseThrow().versionId());
        assertEquals(v2.versionId(), store.stat("k").versionId());
        assertTrue(store.deleteVersion("k", 12345).isEmpty());
        store.deleteVersion("k", v1.versionId());
        store.deleteVersion("k", v2.versionId());
        assertTrue(store.findNewest("k").isEmpty());
        assertTrue(store.space().usedBytes() < usedOne, "removed versions give their space back");
        assertTrue(store.fsck(false, ProgressListener.NONE).clean());
    }

    @Test
    void shouldReplaceTheNullVersionWhenSuspended()
    {
        store.put("k", content(0, 100), ObjectMetadata.NONE);
        final ObjectRecord v1 = store.put("k", content(1, 100), ON);
        store.put("k", content(2, 100), SUSPENDED);
        store.put("k", content(3, 100), SUSPENDED);
        final List<VersionPage.Entry> versions = store.listVersions(VersionListRequest.of("k", 10)).versions();
        assertEquals(List.of(0L, v1.versionId()), versions.stream().map(e -> e.record().versionId()).toList());
        assertArrayEquals(content(3, 100), store.getBytes("k"));
        final ObjectRecord marker = store.putDeleteMarker("k", VersioningMode.SUSPENDED);
        assertEquals(0, marker.versionId(), "a suspended delete writes the null delete marker");
        assertEquals(2, store.listVersions(VersionListRequest.of("k", 10)).versions().size(), "the null object was replaced");
        assertEquals(new VersionSpace(0, 0, 1, 4096, 1), store.versionSpace(""));
    }

    @Test
    void shouldPageThroughVersionsWithKeyAndVersionIdMarkers()
    {
        final List<String> expected = new ArrayList<>();
        for (int k = 0; k < 5; k++)
        {
            final List<String> newestFirst = new ArrayList<>();
            for (int v = 0; v <= k % 3; v++)
            {
                newestFirst.addFirst("d/" + k + "@" + store.put("d/" + k, content(k * 10 + v, 10), ON).versionIdText());
            }
            if (k == 3)
            {
                newestFirst.addFirst("d/3@" + store.putDeleteMarker("d/3", VersioningMode.ENABLED).versionIdText());
            }
            expected.addAll(newestFirst);
        }
        store.put("e", content(99, 10), ON);
        for (int limit = 1; limit <= 4; limit++)
        {
            final List<String> seen = new ArrayList<>();
            VersionListRequest request = new VersionListRequest("d/", "", "", limit, "");
            for (int pages = 0; pages < 20; pages++)
            {
                final VersionPage page = store.listVersions(request);
                page.versions().forEach(e -> seen.add(e.record().key() + "@" + e.record().versionIdText()));
                if (!page.truncated())
                {
                    break;
                }
                request = request.after(page);
            }
            assertEquals(expected, seen, "limit " + limit);
        }
        final VersionPage skipped = store.listVersions(new VersionListRequest("d/", "", "", 100, "d/1"));
        assertEquals("d/2", skipped.versions().getFirst().record().key());
        final VersionPage afterKey = store.listVersions(new VersionListRequest("", "d/4", "", 100, ""));
        assertEquals(List.of("e"), afterKey.versions().stream().map(e -> e.record().key()).toList());
    }

    @Test
    void shouldKeepTheVersionIdAcrossAMetadataReplace()
    {
        final ObjectRecord v1 = store.put("k", content(1, 100), ON);
        final ObjectRecord replaced = store.replaceMetadata("k", new ObjectMetadata("text/plain", Map.of("t", "1")), CommitCondition.NONE);
        assertEquals(v1.versionId(), replaced.versionId());
        assertNotEquals(v1.version(), replaced.version());
        assertEquals(1, store.listVersions(VersionListRequest.of("k", 10)).versions().size());
    }

    @Test
    void shouldMakeAVersionOfAMultipartCompletion()
    {
        final ObjectRecord v1 = store.put("k", content(1, 100), ON);
        store.put("parts/1", content(2, 1 << 20), ObjectMetadata.NONE);
        store.put("parts/2", content(3, 1000), ObjectMetadata.NONE);
        final ObjectRecord composed = store.compose("k", List.of("parts/1", "parts/2"), ON, CommitCondition.NONE);
        assertTrue(composed.versionId() > v1.versionId());
        assertEquals(2, store.listVersions(VersionListRequest.of("k", 10)).versions().size());
        assertArrayEquals(content(1, 100), store.openVersion("k", v1.versionId()).readAllBytes());
    }

    @Test
    void shouldKeepVersionChainsAcrossCheckpointsAndCrashes()
    {
        final ObjectRecord v1 = store.put("k", content(1, 100), ON);
        store.put("k", content(2, 100), ON);
        store.checkpoint();
        final ObjectRecord marker = store.putDeleteMarker("k", VersioningMode.ENABLED);
        store.put("m", content(3, 100), ON);
        store.deleteVersion("k", v1.versionId());
        final List<String> before = describe(store);
        store.abandon();
        store = TestStores.open(namespaces);
        assertEquals(before, describe(store), "after journal replay");
        store.close();
        store = TestStores.open(namespaces);
        assertEquals(before, describe(store), "after a clean close and checkpoint");
        assertEquals(marker.versionId(), store.findNewest("k").orElseThrow().versionId());
        assertTrue(store.fsck(false, ProgressListener.NONE).clean());
    }

    @Test
    void shouldTreatAKeyBehindADeleteMarkerAsAbsentForConditionalWrites()
    {
        store.put("k", content(1, 100), ON);
        store.putDeleteMarker("k", VersioningMode.ENABLED);
        try (PutSession put = store.openPut("k", ON, 10))
        {
            put.append(content(2, 10), 0, 10);
            final ObjectRecord created = put.commit(10, null, CommitCondition.IF_ABSENT);
            assertArrayEquals(content(2, 10), store.getBytes("k"));
            assertEquals(3, store.listVersions(VersionListRequest.of("k", 10)).versions().size());
            assertTrue(created.isVersioned());
        }
        try (PutSession put = store.openPut("k", ON, 10))
        {
            put.append(content(3, 10), 0, 10);
            assertEquals(ErrorCode.PRECONDITION_FAILED,
                assertThrows(ConduitException.class, () -> put.commit(10, null, CommitCondition.IF_ABSENT)).code());
        }
    }

    @Test
    void shouldRefuseMalformedVersionIds()
    {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class, () -> VersionIds.parse("abc")).code());
        assertEquals(0, VersionIds.parse("null"));
        assertEquals(0x1fL, VersionIds.parse(VersionIds.format(0x1f)));
        assertFalse(VersionIds.format(2).compareTo(VersionIds.format(0x10)) > 0, "ids sort by age as text");
    }

    private static long extentBytes(final ObjectRecord r)
    {
        return r.layout().extents().stream().mapToLong(Extent::lengthBytes).sum();
    }

    static List<String> describe(final ObjectStore s)
    {
        final List<String> out = new ArrayList<>();
        for (final VersionPage.Entry e : s.listVersions(VersionListRequest.of("", 1000)).versions())
        {
            final ObjectRecord r = e.record();
            out.add(r.key() + "@" + r.versionIdText() + (r.isDeleteMarker() ? " marker" : " " + r.etag()) + (e.latest() ? " latest" : ""));
        }
        return out;
    }
}
