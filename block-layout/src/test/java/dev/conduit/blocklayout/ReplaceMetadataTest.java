package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ObjectStore#replaceMetadata} on real O_DIRECT files: a new version over the same extents,
 * no data written; a reader pinned on the old version keeps reading it, and the extents are not
 * freed when the old version goes (a store filled to the brim afterwards does not overwrite them).
 */
class ReplaceMetadataTest
{
    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldMoveExtentsToTheNewVersionWhileAPinnedReaderReadsTheOld() throws Exception
    {
        DataDirectory.format(dir, 48L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final byte[] data = content(11, 3 * (int)MIB + 5);
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final long baseline = ComposeTest.used(store);
            final ObjectRecord v1 = store.put("obj", data, new ObjectMetadata("text/plain", Map.of("tag", "old")));
            final long used = ComposeTest.used(store);
            final long written = store.counter(StoreCounter.BYTES_WRITTEN);
            try (ObjectReadHandle pinned = store.openObject("obj"))
            {
                assertTrue(pinned.tryRetain());
                final ObjectRecord v2 = store.replaceMetadata("obj", new ObjectMetadata("text/csv", Map.of("tag", "new")),
                    CommitCondition.ifVersion(v1.version()));
                assertTrue(v2.version() > v1.version());
                assertEquals(v1.etag(), v2.etag());
                assertEquals(v1.layout().extents(), v2.layout().extents());
                assertEquals(Map.of("tag", "new"), store.stat("obj").userMetadata());
                assertEquals("text/csv", store.stat("obj").contentType());
                assertEquals(written, store.counter(StoreCounter.BYTES_WRITTEN), "no data written");
                assertEquals(used, ComposeTest.used(store), "no space taken or freed");
                assertEquals(v1.version(), pinned.record().version());
                assertArrayEquals(data, pinned.readAllBytes());
                pinned.release();
            }
            // Every block the old version owned would be free now if ownership had not moved: fill them.
            final int fillers = fillUntilFull(store);
            assertTrue(fillers > 0);
            assertArrayEquals(data, store.getBytes("obj"), "the new version's extents were reused");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
            for (int i = 0; i < fillers; i++)
            {
                store.delete("filler/" + i);
            }
            assertTrue(store.delete("obj"));
            assertEquals(baseline, ComposeTest.used(store));
        }
    }

    @Test
    void shouldRefuseWhenTheVersionChangedOrTheKeyIsMissing() throws Exception
    {
        DataDirectory.format(dir, 48L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final ObjectRecord v1 = store.put("obj", content(1, 100), ObjectMetadata.NONE);
            store.replaceMetadata("obj", ObjectMetadata.ofContentType("a/b"), CommitCondition.NONE);
            final ConduitException changed = assertThrows(ConduitException.class,
                () -> store.replaceMetadata("obj", ObjectMetadata.ofContentType("c/d"), CommitCondition.ifVersion(v1.version())));
            assertEquals(ErrorCode.PRECONDITION_FAILED, changed.code());
            assertTrue(changed.getMessage().contains("obj"), changed.getMessage());
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ConduitException.class,
                () -> store.replaceMetadata("obj", ObjectMetadata.NONE, CommitCondition.IF_ABSENT)).code());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
                () -> store.replaceMetadata("missing", ObjectMetadata.NONE, CommitCondition.NONE)).code());
            assertEquals("a/b", store.stat("obj").contentType());
        }
    }

    @Test
    void shouldKeepTheMultipartEtagAcrossReplaceAndReplay() throws Exception
    {
        DataDirectory.format(dir, 2 * 64L * MIB, 2, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final List<byte[]> parts = List.of(content(1, 8 * (int)MIB), content(2, 3000));
        final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        final long used;
        try
        {
            store.compose("mp", ComposeTest.putParts(store, "p/", parts), ObjectMetadata.NONE, CommitCondition.NONE);
            final ObjectRecord r = store.replaceMetadata("mp", new ObjectMetadata("", Map.of("x-amz-tagging", "a=b")), CommitCondition.NONE);
            assertEquals(ComposeTest.multipartEtag(parts), r.etag());
            assertEquals(2, r.partCount());
            used = ComposeTest.used(store);
        }
        finally
        {
            store.abandon();
        }
        try (ObjectStore reopened = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final ObjectRecord r = reopened.stat("mp");
            assertEquals(ComposeTest.multipartEtag(parts), r.etag());
            assertEquals(Map.of("x-amz-tagging", "a=b"), r.userMetadata());
            assertArrayEquals(ComposeTest.concat(parts), reopened.getBytes("mp"));
            assertEquals(used, ComposeTest.used(reopened));
            assertTrue(reopened.fsck(false, ProgressListener.NONE).clean());
        }
    }

    static int fillUntilFull(final ObjectStore store)
    {
        final byte[] filler = content(99, 512 << 10);
        int count = 0;
        while (true)
        {
            try
            {
                store.put("filler/" + count, filler, ObjectMetadata.NONE);
                count++;
            }
            catch (final ConduitException e)
            {
                assertEquals(ErrorCode.NO_SPACE, e.code(), e.getMessage());
                return count;
            }
        }
    }
}
