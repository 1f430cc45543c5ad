package dev.conduit.blocklayout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format v1 pinned to bytes. This build writes format 2, so the v1 golden files in
 * {@code src/test/resources/format/v1/} are never rewritten: each must still decode to the values
 * it was made from, a v1 object record is still what this build writes for an unversioned object,
 * a v1 journal batch still replays, and the v1 store image (checkpoint plus journal tail) opens with
 * the same content and is upgraded to format 2 (docs/FORMAT.md section 8).
 */
class GoldenFormatV1Test
{
    static final UUID STORE = UUID.fromString("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    static final long SALT = 0x0123456789ABCDEFL;
    static final long CREATED_MS = 1_700_000_000_000L;
    private static final GoldenFiles V1 = new GoldenFiles("v1", false);

    static Superblock superblock(final int formatVersion)
    {
        final CheckpointRef cp = new CheckpointRef(41, 8192, 0xCAFEBABE, List.of(new Extent(0, 3 << 20, 8192)), 12288, 42);
        return new Superblock(7, STORE, UUID.nameUUIDFromBytes("ns0".getBytes()), 0, 2, 64L << 20, CREATED_MS,
            StoreGeometry.DEFAULT, new Regions(1 << 20, 2 << 20, 3 << 20, 61L << 20), SALT, cp, formatVersion);
    }

    static ObjectRecord record()
    {
        final ObjectLayout layout = new ObjectLayout(20, List.of(
            new Column(0, List.of(new Extent(0, 3 << 20, 1 << 20))),
            new Column(1, List.of(new Extent(1, 1 << 20, 4096), new Extent(1, 5 << 20, 4096)))));
        final byte[] etag = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            etag[i] = (byte)(0xA0 + i);
        }
        return new ObjectRecord("golden/ключ", 99, (1 << 20) + 5000, CREATED_MS, etag, "application/json",
            Map.of("tested", "true", "step", "1000"), 20, new int[] {0x11111111, 0x22222222}, layout, 0);
    }

    @Test
    void shouldDecodeV1SuperblockAndWriteItBackByteForByte() throws IOException
    {
        final byte[] golden = V1.read("superblock.bin");
        final Superblock decoded = SuperblockDescriptor.decode(MemorySegment.ofArray(golden), "golden");
        assertEquals(superblock(1), decoded);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment block = arena.allocate(SuperblockDescriptor.LENGTH);
            SuperblockDescriptor.encode(decoded, block);
            assertArrayEquals(golden, block.toArray(ValueLayout.JAVA_BYTE), "a v1 superblock re-encodes to the same bytes");
        }
    }

    @Test
    void shouldEncodeUnversionedObjectRecordToV1GoldenBytes() throws IOException
    {
        final byte[] encoded = ObjectRecordDescriptor.encode(record());
        final byte[] golden = V1.read("object-record.bin");
        assertArrayEquals(golden, encoded, "an unversioned record is the same in v1 and v2");
        final ObjectRecord back = ObjectRecordDescriptor.decode(golden);
        assertEquals(record().key(), back.key());
        assertEquals(record().userMetadata(), back.userMetadata());
        assertEquals(record().etag(), back.etag());
        assertEquals(record().layout().columns(), back.layout().columns());
        assertEquals(0x22222222, back.chunkCrc(1));
        assertEquals(0, back.versionId());
        assertEquals(VersionIds.NULL, back.versionIdText());
        assertFalse(back.isDeleteMarker());
    }

    @Test
    void shouldEncodeMultipartObjectRecordToV1GoldenBytes() throws IOException
    {
        final ObjectRecord plain = record();
        final ObjectRecord multipart = new ObjectRecord(plain.key(), plain.version(), plain.sizeBytes(), plain.createdMs(), plain.etagBytes(),
            plain.contentType(), plain.userMetadata(), plain.chunkShift(), new int[] {0x11111111, 0x22222222}, plain.layout(), 3);
        final byte[] encoded = ObjectRecordDescriptor.encode(multipart);
        final byte[] golden = V1.read("object-record-multipart.bin");
        assertArrayEquals(golden, encoded);
        // FORMAT.md section 3 by hand: flags at +45+K, the part count as the last four bytes.
        final int k = Bytes.u16(golden, 0);
        assertEquals(ObjectRecordDescriptor.FLAG_MULTIPART, golden[45 + k]);
        assertEquals(3, Bytes.u32(golden, golden.length - 4));
        assertEquals(ObjectRecordDescriptor.encode(plain).length + 4, golden.length);
        final ObjectRecord back = ObjectRecordDescriptor.decode(golden);
        assertEquals(3, back.partCount());
        assertEquals(plain.etag() + "-3", back.etag());
        assertEquals(0x22222222, back.chunkCrc(1));
        final byte[] unknownFlag = golden.clone();
        unknownFlag[45 + k] = 8;
        assertEquals(ErrorCode.CORRUPT, assertThrows(ConduitException.class, () -> ObjectRecordDescriptor.decode(unknownFlag)).code());
    }

    @Test
    void shouldReplayV1JournalBatch() throws IOException
    {
        final byte[] golden = V1.read("journal-batch.bin");
        final MemorySegment batch = MemorySegment.ofArray(golden);
        assertEquals(1, JournalBatchDescriptor.version(batch));
        assertEquals(1, JournalBatchDescriptor.acceptHeader(batch, 42, SALT, 16));
        assertTrue(JournalBatchDescriptor.checksumMatches(batch));
        assertEquals(2, JournalBatchDescriptor.recordCount(batch));
    }

    @Test
    void shouldDecodeV1CheckpointHeader() throws IOException
    {
        final CheckpointDescriptor.Header h = new CheckpointDescriptor.Header(41, SALT, 100, 3, 777, 0xDEADBEEF);
        assertEquals(h, CheckpointDescriptor.decode(MemorySegment.ofArray(V1.read("checkpoint-header.bin"))));
    }

    @Test
    void shouldOpenV1StoreImageAndUpgradeItToV2() throws IOException
    {
        final byte[] golden = V1.read("store.img.gz");
        final byte[] image;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(golden)))
        {
            image = in.readAllBytes();
        }
        final MemoryNamespace ns = MemoryNamespace.allocate("golden", image.length);
        ns.contents().copyFrom(MemorySegment.ofArray(image));
        assertEquals(1, SuperblockIo.read(ns).chosen().formatVersion());
        try (ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT))
        {
            assertEquals(2, SuperblockIo.read(ns).chosen().formatVersion(), "open upgrades namespace 0");
            GoldenStoreImage.verify(store);
            store.put("a/small", TestStores.content(9, 10), ObjectMetadata.NONE.withVersioning(VersioningMode.ENABLED));
            assertEquals(0, store.listVersions(VersionListRequest.of("a/small", 10)).versions().get(1).record().versionId(),
                "the v1 object is the key's null version");
        }
        try (ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT))
        {
            assertArrayEquals(TestStores.content(9, 10), store.getBytes("a/small"));
            assertArrayEquals(TestStores.content(3, 200), store.openVersion("a/small", 0).readAllBytes());
            assertTrue(store.fsck(false, ProgressListener.NONE).problems().isEmpty());
        }
        ns.close();
    }
}
