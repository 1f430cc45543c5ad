package dev.conduit.blocklayout;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ObjectStore#compose} on real O_DIRECT file namespaces: the composed object reads back
 * byte-exact (every chunk verified), carries S3's multipart ETag computed here independently, the
 * parts are gone, and the space report shows the parts' space moved to the composed object, not
 * copied, leaked or counted twice; the same after journal replay and after a checkpoint.
 */
class ComposeTest
{
    private static final int SHORT_LAST_PART = 1_234_567;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @ParameterizedTest(name = "{0} parts of {1} MiB + short last part {3}, {2} namespace(s)")
    @CsvSource({
        "1, 5, 1, true", "2, 5, 1, true", "3, 5, 1, true",
        "1, 8, 1, true", "2, 8, 1, true", "3, 8, 1, true",
        "3, 8, 1, false", "2, 8, 2, true", "3, 8, 2, true",
        "3, 5, 2, true"})
    void shouldComposeByteExactWithMultipartEtagAndMoveThePartsSpace(
        final int fullParts, final int partMiB, final int namespaceCount, final boolean shortLast) throws Exception
    {
        DataDirectory.format(dir, namespaceCount * 96L * MIB, namespaceCount, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < fullParts; i++)
        {
            parts.add(content(100 + i, (int)(partMiB * MIB)));
        }
        if (shortLast)
        {
            parts.add(content(99, SHORT_LAST_PART));
        }
        final byte[] expected = concat(parts);
        final String expectedEtag = multipartEtag(parts);
        final long usedByParts;
        final long usedAfterCompose;
        final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        try
        {
            final long baseline = used(store);
            final List<String> keys = putParts(store, "upload/1/part-", parts);
            usedByParts = used(store) - baseline;
            final ObjectRecord r = store.compose("photos/big.bin", keys, ObjectMetadata.ofContentType("image/tiff"), CommitCondition.IF_ABSENT);
            assertEquals(expectedEtag, r.etag());
            assertEquals(parts.size(), r.partCount());
            assertEquals(expected.length, r.sizeBytes());
            assertEquals("image/tiff", r.contentType());
            assertEquals(r.version(), store.stat("photos/big.bin").version());
            assertArrayEquals(expected, store.getBytes("photos/big.bin"));
            assertPartsGone(store, keys);
            final long stripeRowBytes = (long)store.info().geometry().stripeUnitBytes() * namespaceCount;
            final boolean inPlace = fullParts == 1 && !shortLast || partMiB * MIB % stripeRowBytes == 0;
            assertEquals(inPlace ? 1 : 0, store.counter(StoreCounter.COMPOSES), "joined in place");
            assertEquals(inPlace ? 0 : 1, store.counter(StoreCounter.COMPOSE_COPIES), "copied");
            // A copy retires the parts' extents; the next commit's drain frees them.
            store.put("nudge", new byte[1], ObjectMetadata.NONE);
            store.delete("nudge");
            assertEquals(inPlace ? usedByParts : footprint(store.stat("photos/big.bin")), used(store) - baseline, "space after compose");
            usedAfterCompose = used(store);
        }
        finally
        {
            store.abandon();
        }
        try (ObjectStore replayed = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            assertEquals(usedAfterCompose, used(replayed), "space rebuilt after journal replay");
            final ObjectRecord r = replayed.stat("photos/big.bin");
            assertEquals(expectedEtag, r.etag());
            assertArrayEquals(expected, replayed.getBytes("photos/big.bin"));
            assertEquals(1, replayed.list(ListRequest.of("", 100)).objects().size());
            assertTrue(replayed.fsck(false, ProgressListener.NONE).clean());
            final long before = used(replayed);
            final long footprint = footprint(r);
            assertTrue(replayed.delete("photos/big.bin"));
            assertEquals(footprint, before - used(replayed), "deleting the composed object frees exactly its parts' space");
        }
    }

    @Test
    void shouldCopyWhenPartSizesAreNotWholeChunksAndStillGiveTheMultipartEtag() throws Exception
    {
        DataDirectory.format(dir, 96L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final List<byte[]> parts = List.of(content(1, 5_000_000), content(2, 5_000_000), content(3, 777));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final long baseline = used(store);
            final List<String> keys = putParts(store, "u/", parts);
            final ObjectRecord r = store.compose("joined", keys, new ObjectMetadata("", Map.of("a", "b")), CommitCondition.NONE);
            assertEquals(1, store.counter(StoreCounter.COMPOSE_COPIES));
            assertEquals(0, store.counter(StoreCounter.COMPOSES));
            assertEquals(multipartEtag(parts), r.etag());
            assertEquals(3, r.partCount());
            assertEquals(Map.of("a", "b"), store.stat("joined").userMetadata());
            assertArrayEquals(concat(parts), store.getBytes("joined"));
            final ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            store.get("joined", streamed, ProgressListener.NONE);
            assertArrayEquals(concat(parts), streamed.toByteArray());
            assertPartsGone(store, keys);
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
            assertTrue(store.delete("joined"));
            assertEquals(baseline, used(store), "no space leaked by the copy");
        }
    }

    @Test
    void shouldSurviveCheckpointAndReopenWithFlagAndPartCount() throws Exception
    {
        DataDirectory.format(dir, 2 * 96L * MIB, 2, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        final List<byte[]> parts = List.of(content(7, (int)(8 * MIB)), content(8, 4000));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            store.compose("k", putParts(store, "p/", parts), ObjectMetadata.NONE, CommitCondition.NONE);
            store.checkpoint();
            store.put("after-checkpoint", new byte[10], ObjectMetadata.NONE);
        }
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final ObjectRecord r = store.stat("k");
            assertEquals(multipartEtag(parts), r.etag());
            assertEquals(2, r.partCount());
            assertArrayEquals(concat(parts), store.getBytes("k"));
            assertEquals(List.of("after-checkpoint", "k"), keys(store.list(ListRequest.of("", 10))));
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
    }

    @Test
    void shouldRefuseComposeWhenConditionFailsOrPartsAreWrong() throws Exception
    {
        DataDirectory.format(dir, 96L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(2 * MIB));
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            final ObjectRecord existing = store.put("target", content(5, 5000), ObjectMetadata.NONE);
            final List<String> keys = putParts(store, "p/", List.of(content(1, (int)MIB), content(2, 10)));
            final long used = used(store);
            final ConduitException absent = assertThrows(ConduitException.class,
                () -> store.compose("target", keys, ObjectMetadata.NONE, CommitCondition.IF_ABSENT));
            assertEquals(ErrorCode.PRECONDITION_FAILED, absent.code());
            assertTrue(absent.getMessage().contains("target") && absent.getMessage().contains("current version is " + existing.version()),
                absent.getMessage());
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ConduitException.class,
                () -> store.compose("target", keys, ObjectMetadata.NONE, CommitCondition.ifVersion(existing.version() + 1))).code());
            assertEquals(ErrorCode.PRECONDITION_FAILED, assertThrows(ConduitException.class,
                () -> store.compose("fresh", keys, ObjectMetadata.NONE, CommitCondition.ifVersion(existing.version()))).code());
            assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
                () -> store.compose("fresh", List.of("p/0", "p/missing"), ObjectMetadata.NONE, CommitCondition.NONE)).code());
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class,
                () -> store.compose("fresh", List.of("p/0", "p/0"), ObjectMetadata.NONE, CommitCondition.NONE)).code());
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class,
                () -> store.compose("p/0", keys, ObjectMetadata.NONE, CommitCondition.NONE)).code());
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class,
                () -> store.compose("fresh", List.of(), ObjectMetadata.NONE, CommitCondition.NONE)).code());
            assertEquals(used, used(store), "a refused compose takes no space");
            assertEquals(existing.version(), store.stat("target").version());
            assertTrue(store.find("fresh").isEmpty());
            for (final String k : keys)
            {
                assertTrue(store.find(k).isPresent(), k);
            }
            final ObjectRecord replaced = store.compose("target", keys, ObjectMetadata.NONE, CommitCondition.ifVersion(existing.version()));
            assertArrayEquals(concat(List.of(content(1, (int)MIB), content(2, 10))), store.getBytes("target"));
            assertTrue(replaced.version() > existing.version());
            store.put("nudge", new byte[1], ObjectMetadata.NONE);
            assertTrue(store.delete("nudge"));
            assertEquals(used - footprint(existing), used(store), "the replaced version's space is freed, the parts' kept");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
    }

    static List<String> putParts(final ObjectStore store, final String prefix, final List<byte[]> parts)
    {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++)
        {
            final String key = prefix + i;
            store.put(key, parts.get(i), ObjectMetadata.NONE);
            keys.add(key);
        }
        return keys;
    }

    static byte[] concat(final List<byte[]> parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** S3's multipart ETag, from the parts' content (not from the store's records). */
    static String multipartEtag(final List<byte[]> parts) throws Exception
    {
        final MessageDigest outer = MessageDigest.getInstance("MD5");
        for (final byte[] p : parts)
        {
            outer.update(MessageDigest.getInstance("MD5").digest(p));
        }
        return HexFormat.of().formatHex(outer.digest()) + "-" + parts.size();
    }

    static long used(final ObjectStore store)
    {
        return store.space().usedBytes();
    }

    static long footprint(final ObjectRecord r)
    {
        long total = 0;
        for (final Extent e : r.layout().extents())
        {
            total += e.lengthBytes();
        }
        return total;
    }

    private static List<String> keys(final ListPage page)
    {
        final List<String> keys = new ArrayList<>();
        for (final ObjectRecord r : page.objects())
        {
            keys.add(r.key());
        }
        return keys;
    }

    private static void assertPartsGone(final ObjectStore store, final List<String> keys)
    {
        for (final String k : keys)
        {
            assertFalse(store.find(k).isPresent(), k + " should be gone");
        }
        assertEquals(0, store.list(ListRequest.of("upload/", 10)).objects().size() + store.list(ListRequest.of("u/", 10)).objects().size());
    }
}
