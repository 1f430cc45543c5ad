package dev.conduit.blocklayout;

import java.lang.foreign.ValueLayout;
import java.util.List;

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

class CorruptionTest
{
    private final List<MemoryNamespace> namespaces = TestStores.formatted(2, 16 * MIB, TestStores.SMALL_JOURNAL);

    @AfterEach
    void tearDown()
    {
        TestStores.closeAll(namespaces);
    }

    private void flipByteOf(final ObjectRecord r, final int column, final long offsetInExtent)
    {
        final Extent e = r.layout().columns().get(column).extents().getFirst();
        final var contents = namespaces.get(e.namespaceIndex()).contents();
        final long at = e.offsetBytes() + offsetInExtent;
        contents.set(ValueLayout.JAVA_BYTE, at, (byte)(contents.get(ValueLayout.JAVA_BYTE, at) ^ 0x01));
    }

    @Test
    void shouldNameKeyNamespaceAndOffsetWhenAChunkIsCorrupt()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final ObjectRecord r = store.put("victim", content(1, (int)(2 * MIB)), ObjectMetadata.NONE);
            store.put("bystander", content(2, 1000), ObjectMetadata.NONE);
            flipByteOf(r, 1, 777);
            final CorruptExtentException e = assertThrows(CorruptExtentException.class, () -> store.getBytes("victim"));
            final Extent damaged = r.layout().columns().get(1).extents().getFirst();
            assertEquals(ErrorCode.CORRUPT_EXTENT, e.code());
            assertEquals("victim", e.key());
            assertEquals(damaged.namespaceIndex(), e.namespaceIndex());
            assertEquals(damaged.offsetBytes(), e.offsetBytes());
            assertEquals(1, e.chunkIndex());
            assertTrue(e.getMessage().contains(namespaces.get(damaged.namespaceIndex()).id()), e.getMessage());
            assertEquals(1, store.counter(StoreCounter.CRC_MISMATCHES));
            assertArrayEquals(content(2, 1000), store.getBytes("bystander"), "other objects stay readable");
        }
    }

    @Test
    void shouldReportDamageInFsckAndDropItOnRepair()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            flipByteOf(store.put("victim", content(1, 9000), ObjectMetadata.NONE), 0, 10);
            store.put("fine", content(2, 9000), ObjectMetadata.NONE);
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertFalse(report.clean());
            assertEquals(List.of("victim"), report.damagedKeys());
            assertEquals(2, report.objectsChecked());
            final FsckReport repaired = store.fsck(true, ProgressListener.NONE);
            assertEquals(1, repaired.repaired().size());
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
            assertTrue(store.find("victim").isEmpty());
            assertArrayEquals(content(2, 9000), store.getBytes("fine"));
        }
    }

    @Test
    void shouldRefuseToOpenOverlappingExtentsUntilRepaired()
    {
        final ObjectRecord a;
        try (ObjectStore store = TestStores.open(namespaces))
        {
            a = store.put("a", content(1, 5000), ObjectMetadata.NONE);
            store.put("b", content(2, 5000), ObjectMetadata.NONE);
        }
        // Forge a journal record that points "evil" at a's extent, as a bug or bit rot might.
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final byte[] forged = ObjectRecordDescriptor.encode(new ObjectRecord("evil", 0, 5000, 0, a.etagBytes(), "", java.util.Map.of(),
                a.chunkShift(), new int[] {a.chunkCrc(0)}, a.layout(), 0));
            final PendingCommit p = PendingCommit.put(forged, ObjectLayout.EMPTY);
            store.commit(p);
        }
        final ConduitException e = assertThrows(ConduitException.class, () -> TestStores.open(namespaces));
        assertEquals(ErrorCode.CORRUPT, e.code());
        assertTrue(e.getMessage().contains("fsck --repair"), e.getMessage());
        try (ObjectStore store = ObjectStore.open(namespaces, StoreOptions.DEFAULT.asLenient()))
        {
            final FsckReport report = store.fsck(true, ProgressListener.NONE);
            assertEquals(1, report.damagedKeys().size());
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertArrayEquals(content(1, 5000), store.getBytes("a"));
            assertEquals(2, store.info().objectCount());
        }
    }

    @Test
    void shouldRefuseToOpenWhenTheCheckpointIsCorrupt()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("a", content(1, 5000), ObjectMetadata.NONE);
        }
        final ObjectStore probe = TestStores.open(namespaces);
        final Extent cp = probe.checkpointRef().extents().getFirst();
        probe.close();
        final var contents = namespaces.get(cp.namespaceIndex()).contents();
        contents.set(ValueLayout.JAVA_BYTE, cp.offsetBytes() + 100, (byte)0x7F);
        assertEquals(ErrorCode.CORRUPT, assertThrows(ConduitException.class, () -> TestStores.open(namespaces)).code());
    }
}
