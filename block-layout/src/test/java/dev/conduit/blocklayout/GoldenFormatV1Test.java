package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Format v1 pinned to bytes: each structure is encoded from fixed values and compared with the
 * golden file in {@code src/test/resources/format/v1/}, and each golden file decodes to those
 * values. A whole store image (checkpoint plus journal tail) must keep opening with the same
 * content. Regenerate only for a deliberate format change, with {@code -Dconduit.golden.update=true}.
 */
class GoldenFormatV1Test
{
    static final UUID STORE = UUID.fromString("6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    static final long SALT = 0x0123456789ABCDEFL;
    static final long CREATED_MS = 1_700_000_000_000L;
    private static final Path SOURCE_DIR = Path.of("src/test/resources/format/v1");
    private static final boolean UPDATE = Boolean.getBoolean("conduit.golden.update");

    static Superblock superblock()
    {
        final CheckpointRef cp = new CheckpointRef(41, 8192, 0xCAFEBABE, List.of(new Extent(0, 3 << 20, 8192)), 12288, 42);
        return new Superblock(7, STORE, UUID.nameUUIDFromBytes("ns0".getBytes()), 0, 2, 64L << 20, CREATED_MS,
            StoreGeometry.DEFAULT, new Regions(1 << 20, 2 << 20, 3 << 20, 61L << 20), SALT, cp);
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
    void shouldEncodeSuperblockToGoldenBytes() throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment block = arena.allocate(SuperblockDescriptor.LENGTH);
            SuperblockDescriptor.encode(superblock(), block);
            final byte[] golden = golden("superblock.bin", block.toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(golden, block.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(superblock(), SuperblockDescriptor.decode(MemorySegment.ofArray(golden), "golden"));
        }
    }

    @Test
    void shouldEncodeObjectRecordToGoldenBytes() throws IOException
    {
        final byte[] encoded = ObjectRecordDescriptor.encode(record());
        final byte[] golden = golden("object-record.bin", encoded);
        assertArrayEquals(golden, encoded);
        final ObjectRecord back = ObjectRecordDescriptor.decode(golden);
        assertEquals(record().key(), back.key());
        assertEquals(record().userMetadata(), back.userMetadata());
        assertEquals(record().etag(), back.etag());
        assertEquals(record().layout().columns(), back.layout().columns());
        assertEquals(0x22222222, back.chunkCrc(1));
    }

    @Test
    void shouldEncodeMultipartObjectRecordToGoldenBytes() throws IOException
    {
        final ObjectRecord plain = record();
        final ObjectRecord multipart = new ObjectRecord(plain.key(), plain.version(), plain.sizeBytes(), plain.createdMs(), plain.etagBytes(),
            plain.contentType(), plain.userMetadata(), plain.chunkShift(), new int[] {0x11111111, 0x22222222}, plain.layout(), 3);
        final byte[] encoded = ObjectRecordDescriptor.encode(multipart);
        final byte[] golden = golden("object-record-multipart.bin", encoded);
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
        assertEquals(0, ObjectRecordDescriptor.decode(golden("object-record.bin", ObjectRecordDescriptor.encode(plain))).partCount());
        final byte[] unknownFlag = golden.clone();
        unknownFlag[45 + k] = 2;
        assertEquals(ErrorCode.CORRUPT, assertThrows(ConduitException.class, () -> ObjectRecordDescriptor.decode(unknownFlag)).code());
    }

    @Test
    void shouldEncodeJournalBatchToGoldenBytes() throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemoryNamespace ns = MemoryNamespace.allocate("journal", 64 << 10);
            final JournalWriter writer = new JournalWriter(ns, 0, 64 << 10, SALT, arena.allocate(64 << 10, 4096), 0, 42);
            writer.begin();
            writer.tryAppendPut(ObjectRecordDescriptor.encode(record()));
            writer.tryAppendDelete(100, "golden/old".getBytes());
            writer.commit();
            final byte[] batch = ns.contents().asSlice(0, 4096).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(golden("journal-batch.bin", batch), batch);
            ns.close();
        }
    }

    @Test
    void shouldEncodeCheckpointHeaderToGoldenBytes() throws IOException
    {
        final MemorySegment header = MemorySegment.ofArray(new byte[CheckpointDescriptor.HEADER_LENGTH]);
        final CheckpointDescriptor.Header h = new CheckpointDescriptor.Header(41, SALT, 100, 3, 777, 0xDEADBEEF);
        CheckpointDescriptor.encode(h, header);
        final byte[] golden = golden("checkpoint-header.bin", header.toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(golden, header.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(h, CheckpointDescriptor.decode(MemorySegment.ofArray(golden)));
    }

    @Test
    void shouldOpenGoldenStoreImageWithCheckpointAndJournalTail() throws IOException
    {
        final MemoryNamespace built = GoldenStoreImage.build();
        final byte[] image = built.contents().toArray(ValueLayout.JAVA_BYTE);
        built.close();
        if (UPDATE)
        {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(SOURCE_DIR.resolve("store.img.gz"))))
            {
                out.write(image);
            }
        }
        final byte[] golden;
        try (InputStream in = new GZIPInputStream(resource("store.img.gz")))
        {
            golden = in.readAllBytes();
        }
        assertArrayEquals(golden, image, "a v1 store built from the same operations has the same bytes");
        final MemoryNamespace ns = MemoryNamespace.allocate("golden", golden.length);
        ns.contents().copyFrom(MemorySegment.ofArray(golden));
        try (ObjectStore store = ObjectStore.open(List.of(ns), StoreOptions.DEFAULT))
        {
            GoldenStoreImage.verify(store);
        }
        ns.close();
    }

    private static byte[] golden(final String name, final byte[] current) throws IOException
    {
        if (UPDATE)
        {
            Files.createDirectories(SOURCE_DIR);
            Files.write(SOURCE_DIR.resolve(name), current);
        }
        try (InputStream in = resource(name))
        {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(final String name) throws IOException
    {
        final InputStream in = UPDATE ? Files.newInputStream(SOURCE_DIR.resolve(name)) : GoldenFormatV1Test.class.getResourceAsStream("/format/v1/" + name);
        if (in == null)
        {
            throw new IOException("missing golden file format/v1/" + name + "; run with -Dconduit.golden.update=true once");
        }
        return in;
    }
}
