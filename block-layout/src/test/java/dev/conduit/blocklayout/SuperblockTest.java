package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import dev.conduit.blocklayout.namespace.FaultInjectingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuperblockTest
{
    @Test
    void shouldRefuseANamespaceWithoutMagicAsForeign()
    {
        final MemoryNamespace blank = MemoryNamespace.allocate("blank", 4 * MIB);
        final ConduitException e = assertThrows(ConduitException.class, () -> TestStores.open(List.of(blank)));
        assertEquals(ErrorCode.BAD_FORMAT, e.code());
        assertTrue(e.getMessage().contains("not a Conduit namespace"), e.getMessage());
        blank.close();
    }

    @Test
    void shouldNameBothVersionsWhenFormatVersionIsUnknown()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(1, 4 * MIB, TestStores.SMALL_JOURNAL);
        for (final long copy : new long[] {SuperblockDescriptor.COPY_A_OFFSET, SuperblockDescriptor.COPY_B_OFFSET})
        {
            ns.getFirst().contents().set(Bytes.U32, copy + SuperblockDescriptor.VERSION_OFFSET, 7);
        }
        final ConduitException e = assertThrows(ConduitException.class, () -> TestStores.open(ns));
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
        assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("versions 1 to 2"), e.getMessage());
        TestStores.closeAll(ns);
    }

    @Test
    void shouldUseTheOtherCopyAndRedoTheInstallWhenOneIsTorn()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(1, 4 * MIB, TestStores.SMALL_JOURNAL);
        try (ObjectStore store = TestStores.open(ns))
        {
            store.put("k", new byte[] {1, 2, 3}, ObjectMetadata.NONE);
        }
        // close() checkpointed: generation 2 is in copy A; tear it half-way as a crash would.
        final MemorySegment copyA = ns.getFirst().contents().asSlice(SuperblockDescriptor.COPY_A_OFFSET, SuperblockDescriptor.LENGTH);
        copyA.asSlice(2048).fill((byte)0x5A);
        try (ObjectStore store = TestStores.open(ns))
        {
            assertEquals(0, store.checkpointRef().lengthBytes(), "generation 1's root (no checkpoint) is back in use");
            assertEquals(2, store.info().superblockGeneration(), "open rewrote the torn copy A with generation 2");
            assertEquals(3, store.getBytes("k").length, "the journal from generation 1 still holds the put");
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertTrue(report.clean(), report.problems().toString());
            assertEquals(1, report.repaired().size(), report.repaired().toString());
            assertTrue(report.repaired().getFirst().contains("torn superblock copy"), report.repaired().toString());
        }
        assertTrue(SuperblockIo.read(ns.getFirst()).problems().isEmpty(), "both copies valid again");
        try (ObjectStore store = TestStores.open(ns))
        {
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
        TestStores.closeAll(ns);
    }

    @Test
    void shouldOpenAndReportATornCopyWhenTheDeviceRefusesTheRewrite()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(1, 4 * MIB, TestStores.SMALL_JOURNAL);
        ns.getFirst().contents().asSlice(SuperblockDescriptor.COPY_B_OFFSET + 2048, 16).fill((byte)0x5A);
        final FaultInjectingNamespace refusing = new FaultInjectingNamespace(ns.getFirst());
        // Open reads two superblock copies, then (empty checkpoint) one journal block before it writes.
        refusing.inject(FaultInjectingNamespace.Fault.EIO, 3, 0);
        try (ObjectStore store = TestStores.open(List.of(refusing)))
        {
            assertEquals(3, refusing.operations(), "open tried exactly one write after its reads");
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertEquals(1, report.problems().size(), report.problems().toString());
            assertTrue(report.repaired().isEmpty(), report.repaired().toString());
        }
        TestStores.closeAll(ns);
    }

    @Test
    void shouldReportButNotRewriteATornCopyOutsideNamespaceZero()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(2, 4 * MIB, TestStores.SMALL_JOURNAL);
        // Namespace 1's superblock never changes after format, so damage there is not an interrupted install.
        ns.get(1).contents().asSlice(SuperblockDescriptor.COPY_B_OFFSET + 2048, 16).fill((byte)0x5A);
        try (ObjectStore store = TestStores.open(ns))
        {
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertEquals(1, report.problems().size(), report.problems().toString());
            assertTrue(report.repaired().isEmpty(), report.repaired().toString());
        }
        TestStores.closeAll(ns);
    }

    @Test
    void shouldRefuseNamespacesOfDifferentStores()
    {
        final List<MemoryNamespace> a = TestStores.formatted(2, 4 * MIB, TestStores.SMALL_JOURNAL);
        final List<MemoryNamespace> b = TestStores.formatted(2, 4 * MIB, TestStores.SMALL_JOURNAL);
        final ConduitException e = assertThrows(ConduitException.class, () -> TestStores.open(List.of(a.get(0), b.get(1))));
        assertEquals(ErrorCode.FOREIGN_NAMESPACE, e.code());
        assertEquals(ErrorCode.FOREIGN_NAMESPACE,
            assertThrows(ConduitException.class, () -> TestStores.open(List.of(a.get(0)))).code(), "a missing sibling is refused");
        TestStores.closeAll(a);
        TestStores.closeAll(b);
    }

    @Test
    void shouldOpenNamespacesGivenInAnyOrder()
    {
        final List<MemoryNamespace> ns = TestStores.formatted(3, 4 * MIB, TestStores.SMALL_JOURNAL);
        try (ObjectStore store = TestStores.open(ns))
        {
            store.put("k", new byte[5000], ObjectMetadata.NONE);
        }
        try (ObjectStore store = TestStores.open(List.of(ns.get(2), ns.get(0), ns.get(1))))
        {
            assertEquals(5000, store.getBytes("k").length);
            assertEquals(ns.get(0).id(), store.info().namespaceIds().getFirst());
        }
        TestStores.closeAll(ns);
    }

    @Test
    void shouldRejectCorruptSuperblockChecksum()
    {
        final MemorySegment block = MemorySegment.ofArray(new byte[SuperblockDescriptor.LENGTH]);
        SuperblockDescriptor.encode(GoldenFormatV1Test.superblock(SuperblockDescriptor.VERSION), block);
        block.set(ValueLayout.JAVA_BYTE, 100, (byte)1);
        assertEquals(ErrorCode.CORRUPT, assertThrows(ConduitException.class, () -> SuperblockDescriptor.decode(block, "t")).code());
    }

    @Test
    void shouldRefuseNamespacesTooSmallForTheLayout()
    {
        final List<MemoryNamespace> ns = TestStores.memory(1, 2 * MIB);
        assertEquals(ErrorCode.NO_SPACE, assertThrows(ConduitException.class, () -> ObjectStore.format(ns, TestStores.SMALL_JOURNAL)).code());
        TestStores.closeAll(ns);
    }
}
