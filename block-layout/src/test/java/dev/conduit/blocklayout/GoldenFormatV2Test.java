package dev.conduit.blocklayout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format v2 (the version chain) pinned to bytes in {@code src/test/resources/format/v2/}: the
 * superblock, a versioned record, a delete marker, a journal batch with PUT_VERSION and
 * DELETE_VERSION records, a checkpoint header with a history count, and a store image whose
 * checkpoint and journal tail both hold version chains. Regenerate only for a deliberate format
 * change, with {@code -Dconduit.golden.update=true}.
 */
class GoldenFormatV2Test
{
    private static final GoldenFiles V2 = new GoldenFiles("v2", true);

    static ObjectRecord versioned()
    {
        final ObjectRecord r = GoldenFormatV1Test.record();
        return new ObjectRecord(r.key(), r.version(), r.sizeBytes(), r.createdMs(), r.etagBytes(), r.contentType(), r.userMetadata(),
            r.chunkShift(), new int[] {0x11111111, 0x22222222}, r.layout(), 0, new ObjectRecord.Versioning(true, 0x1234, false));
    }

    static ObjectRecord marker()
    {
        return new ObjectRecord("golden/ключ", 100, 0, GoldenFormatV1Test.CREATED_MS, Bytes.md5().digest(), "", Map.of(), 20, new int[0],
            ObjectLayout.EMPTY, 0, new ObjectRecord.Versioning(true, 100, true));
    }

    @Test
    void shouldEncodeSuperblockToGoldenBytes() throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment block = arena.allocate(SuperblockDescriptor.LENGTH);
            SuperblockDescriptor.encode(GoldenFormatV1Test.superblock(2), block);
            final byte[] golden = V2.golden("superblock.bin", block.toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(golden, block.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(2, Bytes.u32(golden, 8));
            assertEquals(GoldenFormatV1Test.superblock(2), SuperblockDescriptor.decode(MemorySegment.ofArray(golden), "golden"));
        }
    }

    @Test
    void shouldEncodeVersionedRecordAndDeleteMarkerToGoldenBytes() throws IOException
    {
        final byte[] encoded = ObjectRecordDescriptor.encode(versioned());
        final byte[] golden = V2.golden("object-record-versioned.bin", encoded);
        assertArrayEquals(golden, encoded);
        // FORMAT.md section 3 by hand: flag bit 1 at +45+K, the version id as the last eight bytes.
        final int k = Bytes.u16(golden, 0);
        assertEquals(ObjectRecordDescriptor.FLAG_VERSIONED, golden[45 + k]);
        assertEquals(0x1234, Bytes.u64(golden, golden.length - 8));
        assertEquals(ObjectRecordDescriptor.encode(GoldenFormatV1Test.record()).length + 8, golden.length);
        final ObjectRecord back = ObjectRecordDescriptor.decode(golden);
        assertEquals(0x1234, back.versionId());
        assertEquals("0000000000001234", back.versionIdText());
        assertFalse(back.isDeleteMarker());

        final byte[] markerBytes = V2.golden("object-record-delete-marker.bin", ObjectRecordDescriptor.encode(marker()));
        assertArrayEquals(markerBytes, ObjectRecordDescriptor.encode(marker()));
        assertEquals(ObjectRecordDescriptor.FLAG_VERSIONED | ObjectRecordDescriptor.FLAG_DELETE_MARKER, markerBytes[45 + k]);
        final ObjectRecord m = ObjectRecordDescriptor.decode(markerBytes);
        assertTrue(m.isDeleteMarker());
        assertEquals(100, m.versionId());
        assertEquals(0, m.sizeBytes());
    }

    @Test
    void shouldEncodeJournalBatchToGoldenBytes() throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemoryNamespace ns = MemoryNamespace.allocate("journal", 64 << 10);
            final JournalWriter writer = new JournalWriter(ns, 0, 64 << 10, GoldenFormatV1Test.SALT, arena.allocate(64 << 10, 4096), 0, 42);
            writer.begin();
            writer.tryAppendPut(ObjectRecordDescriptor.encode(GoldenFormatV1Test.record()));
            writer.tryAppendDelete(100, "golden/old".getBytes());
            writer.tryAppendPutVersion(ObjectRecordDescriptor.encode(versioned()));
            writer.tryAppendPutVersion(ObjectRecordDescriptor.encode(marker()));
            writer.tryAppendDeleteVersion(101, 0x1234, "golden/ключ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writer.commit();
            final byte[] batch = ns.contents().asSlice(0, 4096).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(V2.golden("journal-batch.bin", batch), batch);
            assertEquals(2, JournalBatchDescriptor.version(MemorySegment.ofArray(batch)));
            assertEquals(5, JournalBatchDescriptor.recordCount(MemorySegment.ofArray(batch)));
            ns.close();
        }
    }

    @Test
    void shouldEncodeCheckpointHeaderToGoldenBytes() throws IOException
    {
        final MemorySegment header = MemorySegment.ofArray(new byte[CheckpointDescriptor.HEADER_LENGTH]);
        final CheckpointDescriptor.Header h = new CheckpointDescriptor.Header(41, GoldenFormatV1Test.SALT, 100, 3, 777, 0xDEADBEEF, 5);
        CheckpointDescriptor.encode(h, header);
        final byte[] golden = V2.golden("checkpoint-header.bin", header.toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(golden, header.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(5, Bytes.u64(golden, 56));
        assertEquals(h, CheckpointDescriptor.decode(MemorySegment.ofArray(golden)));
    }

    @Test
    void shouldOpenGoldenStoreImageWithVersionChains() throws IOException
    {
        final MemoryNamespace built = GoldenVersionedImage.build();
        final byte[] image = built.contents().toArray(ValueLayout.JAVA_BYTE);
        built.close();
        final byte[] golden = V2.goldenImage("store.img.gz", image);
        assertArrayEquals(golden, image, "a v2 store built from the same operations has the same bytes");
        final MemoryNamespace ns = MemoryNamespace.allocate("golden", golden.length);
        ns.contents().copyFrom(MemorySegment.ofArray(golden));
        try (ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT))
        {
            GoldenVersionedImage.verify(store);
        }
        try (ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT))
        {
            GoldenVersionedImage.verify(store);
        }
        ns.close();
    }
}
