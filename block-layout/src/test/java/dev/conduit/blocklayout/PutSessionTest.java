package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming puts on two memory namespaces: objects of unknown length appended in random pieces
 * come back byte-exact with the right ETag, nothing is visible before commit, and abort, failed
 * checks and a full store all leave the space report exactly as it was.
 */
class PutSessionTest
{
    private final List<MemoryNamespace> namespaces = TestStores.formatted(2, 32 * MIB, TestStores.SMALL_JOURNAL);

    @AfterEach
    void tearDown()
    {
        TestStores.closeAll(namespaces);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 4095, 4096, 65535, 65536, MIB - 1, MIB, MIB + 1, 2 * MIB, 3 * MIB + 4096, 9 * MIB + 12_345})
    void shouldStoreByteExactObjectWhenLengthIsUnknown(final long sizeBytes) throws Exception
    {
        final byte[] data = content(sizeBytes, (int)sizeBytes);
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            final ObjectRecord r;
            try (PutSession put = store.openPut("streamed", new ObjectMetadata("text/plain", Map.of("n", "1"))))
            {
                appendInRandomPieces(put, data, new SplittableRandom(sizeBytes));
                assertEquals(sizeBytes, put.appendedBytes());
                r = put.commit(sizeBytes, MessageDigest.getInstance("MD5").digest(data));
            }
            assertEquals(sizeBytes, r.sizeBytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)), r.etag());
            assertEquals("text/plain", r.contentType());
            assertArrayEquals(data, store.getBytes("streamed"));
            assertExtentsFitTheSize(r);
            assertTrue(store.delete("streamed"));
            assertEquals(before.usedBytes(), store.space().usedBytes(), "space after delete");
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
    }

    @Test
    void shouldPublishAnAdoptedMultipartEtagAndStillCheckEveryChunk() throws Exception
    {
        final byte[] data = content(11, (int)(3 * MIB + 4321));
        final byte[] partsMd5 = MessageDigest.getInstance("MD5").digest("parts".getBytes(StandardCharsets.US_ASCII));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final ObjectRecord r;
            try (PutSession put = store.openPut("copied", ObjectMetadata.NONE, data.length))
            {
                put.adoptMultipartEtag(partsMd5, 7);
                appendInRandomPieces(put, data, new SplittableRandom(11));
                r = put.commit(data.length, null);
            }
            assertEquals(HexFormat.of().formatHex(partsMd5) + "-7", r.etag());
            assertEquals(7, r.partCount());
            assertEquals(r.etag(), store.find("copied").orElseThrow().etag(), "the published record keeps the adopted ETag");
            assertArrayEquals(data, store.getBytes("copied"));
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertEquals(HexFormat.of().formatHex(partsMd5) + "-7", store.find("copied").orElseThrow().etag(), "after a reopen");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean(), "CRC-checked, not held to an MD5 of the content");
        }
    }

    @Test
    void shouldRefuseToAdoptAnEtagAfterBytesOrToCheckAnMd5ItNeverComputed()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            try (PutSession put = store.openPut("late", ObjectMetadata.NONE))
            {
                put.append(new byte[]{1, 2, 3}, 0, 3);
                assertThrows(IllegalStateException.class, () -> put.adoptMultipartEtag(new byte[16], 2));
                assertThrows(IllegalArgumentException.class, () -> put.adoptMultipartEtag(new byte[15], 2));
            }
            try (PutSession put = store.openPut("checked", ObjectMetadata.NONE))
            {
                put.adoptMultipartEtag(new byte[16], 2);
                put.append(new byte[]{1, 2, 3}, 0, 3);
                assertThrows(IllegalArgumentException.class, () -> put.commit(3, new byte[16]));
            }
            assertFalse(store.find("late").isPresent());
            assertFalse(store.find("checked").isPresent());
            assertEquals(before.usedBytes(), store.space().usedBytes(), "nothing kept");
        }
    }

    @Test
    void shouldMatchWholeObjectPutWhenSameBytesAreStreamed()
    {
        final byte[] data = content(7, (int)(5 * MIB + 77));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final ObjectRecord whole = store.put("whole", data, ObjectMetadata.NONE);
            final ObjectRecord streamed;
            try (PutSession put = store.openPut("streamed", ObjectMetadata.NONE))
            {
                appendInRandomPieces(put, data, new SplittableRandom(7));
                streamed = put.commit();
            }
            assertEquals(whole.etag(), streamed.etag());
            assertEquals(whole.chunkShift(), streamed.chunkShift());
            assertEquals(whole.chunkCount(), streamed.chunkCount());
            for (int i = 0; i < whole.chunkCount(); i++)
            {
                assertEquals(whole.chunkCrc(i), streamed.chunkCrc(i), "chunk " + i);
            }
            assertEquals(whole.layout().columns().size(), streamed.layout().columns().size());
        }
    }

    @Test
    void shouldKeepPreviousVersionVisibleUntilCommit()
    {
        final byte[] v1 = content(1, 3000);
        final byte[] v2 = content(2, (int)(3 * MIB));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("k", v1, ObjectMetadata.NONE);
            try (PutSession put = store.openPut("k", ObjectMetadata.NONE))
            {
                put.append(v2, 0, (int)(2 * MIB + 5));
                assertArrayEquals(v1, store.getBytes("k"));
                assertEquals(3000, store.stat("k").sizeBytes());
                assertFalse(store.find("other").isPresent());
                put.append(v2, (int)(2 * MIB + 5), v2.length - (int)(2 * MIB + 5));
                assertArrayEquals(v1, store.getBytes("k"));
                put.commit();
            }
            assertArrayEquals(v2, store.getBytes("k"));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 100, MIB, 6 * MIB + 1})
    void shouldLeaveNoTraceWhenAborted(final long sizeBytes)
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("keep", content(3, 5000), ObjectMetadata.NONE);
            final SpaceReport before = store.space();
            final PutSession put = store.openPut("gone", ObjectMetadata.NONE);
            put.append(content(4, (int)sizeBytes), 0, (int)sizeBytes);
            put.abort();
            assertEquals(before, store.space());
            assertFalse(store.find("gone").isPresent());
            assertThrows(IllegalStateException.class, () -> put.append(new byte[1], 0, 1));
            assertThrows(IllegalStateException.class, put::commit);
            put.close();
        }
    }

    @Test
    void shouldFailCommitAndFreeSpaceWhenAnnouncedSizeOrMd5Differs() throws Exception
    {
        final byte[] data = content(5, (int)(2 * MIB + 3));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            try (PutSession put = store.openPut("size", ObjectMetadata.NONE))
            {
                put.append(data, 0, data.length);
                final ConduitException e = assertThrows(ConduitException.class, () -> put.commit(data.length + 1, null));
                assertEquals(ErrorCode.SIZE_MISMATCH, e.code());
            }
            try (PutSession put = store.openPut("md5", ObjectMetadata.NONE))
            {
                put.append(data, 0, data.length);
                final byte[] wrong = MessageDigest.getInstance("MD5").digest(data);
                wrong[3] ^= 1;
                final ConduitException e = assertThrows(ConduitException.class, () -> put.commit(PutSession.UNKNOWN_SIZE, wrong));
                assertEquals(ErrorCode.DIGEST_MISMATCH, e.code());
            }
            assertEquals(before, store.space());
            assertFalse(store.find("size").isPresent());
            assertFalse(store.find("md5").isPresent());
        }
    }

    @Test
    void shouldEnforceDeclaredSizeWhenSizeIsKnown()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            try (PutSession put = store.openPut("declared", ObjectMetadata.NONE, 10))
            {
                put.append(new byte[6], 0, 6);
                final ConduitException e = assertThrows(ConduitException.class, () -> put.append(new byte[5], 0, 5));
                assertEquals(ErrorCode.SIZE_MISMATCH, e.code());
            }
            try (PutSession put = store.openPut("short", ObjectMetadata.NONE, 10))
            {
                put.append(new byte[9], 0, 9);
                assertEquals(ErrorCode.SIZE_MISMATCH, assertThrows(ConduitException.class, put::commit).code());
            }
            assertEquals(before, store.space());
        }
    }

    @Test
    void shouldAnswerNoSpaceAndFreeEverythingWhenStoreFillsMidStream()
    {
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            final byte[] piece = content(6, (int)MIB);
            final PutSession put = store.openPut("huge", ObjectMetadata.NONE);
            final ConduitException e = assertThrows(ConduitException.class, () ->
            {
                for (int i = 0; i < 128; i++)
                {
                    put.append(piece, 0, piece.length);
                }
            });
            assertEquals(ErrorCode.NO_SPACE, e.code());
            assertEquals(before, store.space());
            assertThrows(IllegalStateException.class, put::commit);
            final byte[] after = content(8, (int)(4 * MIB));
            store.put("after", after, ObjectMetadata.NONE);
            assertArrayEquals(after, store.getBytes("after"));
        }
    }

    @Test
    void shouldPublishMetadataGivenAtCommitInOneJournalRecord()
    {
        final byte[] data = content(9, (int)(MIB + 333));
        final ObjectMetadata atCommit = new ObjectMetadata("application/x-late", Map.of("c:CRC32", "AAAAAA==", "n", "2"));
        final ObjectRecord r;
        try (ObjectStore store = TestStores.open(namespaces))
        {
            store.put("k", content(1, 100), ObjectMetadata.NONE);
            final long versionBefore = store.stat("k").version();
            final long recordsBefore = store.counter(StoreCounter.JOURNAL_RECORDS);
            try (PutSession put = store.openPut("k", new ObjectMetadata("text/plain", Map.of("n", "1"))))
            {
                put.append(data, 0, data.length);
                r = put.commit(data.length, null, CommitCondition.NONE, atCommit);
            }
            assertEquals(versionBefore + 1, r.version());
            assertEquals(recordsBefore + 1, store.counter(StoreCounter.JOURNAL_RECORDS));
            assertMetadata(atCommit, r);
            assertMetadata(atCommit, store.stat("k"));
            assertArrayEquals(data, store.getBytes("k"));
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertMetadata(atCommit, store.stat("k"));
            assertEquals(r.version(), store.stat("k").version());
        }
    }

    @Test
    void shouldKeepMetadataGivenAtOpenWhenNoneIsGivenAtCommit()
    {
        final ObjectMetadata atOpen = new ObjectMetadata("text/plain", Map.of("n", "1"));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            try (PutSession put = store.openPut("k", atOpen))
            {
                put.append(content(2, 5000), 0, 5000);
                assertMetadata(atOpen, put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.NONE, null));
            }
            assertMetadata(atOpen, store.stat("k"));
        }
    }

    @Test
    void shouldFreeSpaceAndKeepOldVersionWhenCommitWithMetadataFails()
    {
        final byte[] data = content(3, (int)(2 * MIB + 7));
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final ObjectRecord old = store.put("k", content(4, 100), ObjectMetadata.ofContentType("text/old"));
            final SpaceReport before = store.space();
            try (PutSession put = store.openPut("k", ObjectMetadata.NONE))
            {
                put.append(data, 0, data.length);
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.IF_ABSENT, ObjectMetadata.ofContentType("text/new")));
                assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
            }
            assertEquals(before, store.space());
            assertEquals(old.version(), store.stat("k").version());
            assertEquals("text/old", store.stat("k").contentType());
        }
    }

    @Test
    void shouldRefuseOversizedMetadataAtCommitWithoutLeakingSpace()
    {
        final byte[] data = content(5, (int)(MIB + 1));
        final String atLimit = "v".repeat(ObjectMetadata.MAX_USER_METADATA_BYTES - 1);
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final SpaceReport before = store.space();
            try (PutSession put = store.openPut("k", ObjectMetadata.NONE))
            {
                put.append(data, 0, data.length);
                // Metadata is bounded where it is made, so an oversized one never reaches the commit...
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.NONE, new ObjectMetadata("", Map.of("kk", atLimit))));
                assertEquals(ErrorCode.METADATA_TOO_LARGE, e.code());
                assertEquals(data.length, put.appendedBytes(), "the session is still open");
            }
            // ...and the session it was meant for, closed without a commit, gives every extent back.
            assertEquals(before, store.space());
            assertFalse(store.find("k").isPresent());
            try (PutSession put = store.openPut("k", ObjectMetadata.NONE))
            {
                put.append(data, 0, data.length);
                final ObjectRecord r = put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.NONE, new ObjectMetadata("", Map.of("k", atLimit)));
                assertEquals(atLimit, r.userMetadata().get("k"), "exactly at the limit is accepted");
            }
        }
    }

    private static void assertMetadata(final ObjectMetadata expected, final ObjectRecord actual)
    {
        assertEquals(expected.contentType(), actual.contentType());
        assertEquals(expected.userMetadata(), actual.userMetadata());
    }

    private static void appendInRandomPieces(final PutSession put, final byte[] data, final SplittableRandom random)
    {
        int at = 0;
        while (at < data.length)
        {
            final int n = Math.min(data.length - at, random.nextBoolean() ? 1 + random.nextInt(64) : 1 + random.nextInt(300_000));
            put.append(data, at, n);
            at += n;
        }
    }

    private static void assertExtentsFitTheSize(final ObjectRecord r)
    {
        final List<Column> columns = r.layout().columns();
        final long[] needed = ObjectLayout.columnDataBytes(r.sizeBytes(), columns.size(), r.layout().stripeShift());
        for (int c = 0; c < columns.size(); c++)
        {
            assertEquals(Bytes.roundUp(needed[c], Bytes.BLOCK), columns.get(c).lengthBytes(), "column " + c + " of " + r);
        }
    }
}
