package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static dev.conduit.objecttier.bucket.TestBuckets.content;
import static dev.conduit.objecttier.bucket.TestBuckets.md5;
import static dev.conduit.objecttier.bucket.TestBuckets.md5Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects on a real store: put, head, get, conditional put, delete, copy, tagging, and their errors. */
@Timeout(60)
class BucketObjectsTest extends RealStoreTest
{
    private static final String BUCKET = "objects";
    private static final S3Metadata META = new S3Metadata("image/png", "gzip", "max-age=60", "attachment; filename=\"a.png\"",
        "en", "Wed, 21 Oct 2015 07:28:00 GMT", Map.of("owner", "ann", "x", ""), Map.of("team", "ml"), Map.of("CRC32C", "AAAAAA=="));

    BucketObjectsTest()
    {
        super(64L * MIB, BUCKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4097, 3 * MIB + 5})
    void shouldReadBackExactlyWhatWasPut(final int sizeBytes)
    {
        final byte[] body = content(sizeBytes, sizeBytes);
        final Instant before = Instant.now().minusMillis(1);
        final S3Object stored = t.put(BUCKET, "dir/file-" + sizeBytes, body, META);

        assertEquals(md5Hex(body), stored.etag());
        assertEquals(sizeBytes, stored.sizeBytes());
        assertEquals(META, stored.metadata());
        assertFalse(stored.lastModified().isBefore(before));
        assertEquals(stored.lastModified(), Instant.ofEpochMilli(stored.record().createdMs()));
        assertArrayEquals(body, t.read(BUCKET, "dir/file-" + sizeBytes));
        final S3Object head = buckets.head(BUCKET, "dir/file-" + sizeBytes).orElseThrow();
        assertEquals(stored.etag(), head.etag());
        assertEquals(META, head.metadata());
        assertEquals(stored.lastModified(), head.lastModified());
    }

    @Test
    void shouldStreamAPutOfUnknownSizeInPieces()
    {
        final byte[] body = content(7, 2 * MIB + 333);
        final S3Object stored;
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "streamed", S3Metadata.EMPTY, -1, false))
        {
            for (int at = 0; at < body.length; at += 65_000)
            {
                upload.append(MemorySegment.ofArray(body).asSlice(at, Math.min(65_000, body.length - at)));
            }
            assertEquals(body.length, upload.appendedBytes());
            stored = upload.commit(-1, md5(body));
        }
        assertEquals(md5Hex(body), stored.etag());
        assertEquals("application/octet-stream", stored.metadata().contentType(), "an unset content type reads as S3's default");
        assertArrayEquals(body, t.read(BUCKET, "streamed"));
    }

    @Test
    void shouldPinTheVersionAGetOpenedWhileTheKeyIsOverwritten()
    {
        final byte[] first = content(1, 100_000);
        t.put(BUCKET, "k", first, S3Metadata.EMPTY);
        try (OpenObject open = buckets.open(BUCKET, "k"))
        {
            t.put(BUCKET, "k", content(2, 200_000), S3Metadata.EMPTY);
            assertEquals(md5Hex(first), open.object().etag());
            assertArrayEquals(first, open.handle().readAllBytes());
        }
        assertArrayEquals(content(2, 200_000), t.read(BUCKET, "k"));
    }

    @Test
    void shouldRefuseBodiesThatDoNotMatchWhatTheClientDeclared()
    {
        final byte[] body = content(3, 1000);
        final long usedBefore = t.usedBytes();
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "bad-md5", S3Metadata.EMPTY, body.length, false))
        {
            upload.append(MemorySegment.ofArray(body));
            assertS3Error(S3Error.BadDigest, () -> upload.commit(body.length, md5(new byte[]{1})));
        }
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "short", S3Metadata.EMPTY, body.length, false))
        {
            upload.append(MemorySegment.ofArray(body).asSlice(0, 999));
            assertS3Error(S3Error.IncompleteBody, () -> upload.commit(body.length, null));
        }
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "long", S3Metadata.EMPTY, body.length - 1, false))
        {
            assertS3Error(S3Error.EntityTooLarge, () -> upload.append(MemorySegment.ofArray(body)));
        }
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "closed", S3Metadata.EMPTY, body.length, false))
        {
            upload.append(MemorySegment.ofArray(body));
        }
        for (final String key : List.of("bad-md5", "short", "long", "closed"))
        {
            assertTrue(buckets.head(BUCKET, key).isEmpty(), key + " was not published");
        }
        assertEquals(usedBefore, t.usedBytes(), "every refused or abandoned put gave its space back");
    }

    @Test
    void shouldLetExactlyOneOfTwoRacingIfAbsentPutsWin() throws Exception
    {
        final int rounds = 8;
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                final String key = "race-" + round;
                final CyclicBarrier barrier = new CyclicBarrier(2);
                final List<Future<S3Object>> results = new ArrayList<>();
                for (int writer = 0; writer < 2; writer++)
                {
                    final byte[] body = content(round * 10L + writer, 10_000 + writer);
                    results.add(pool.submit(() ->
                    {
                        try (ObjectUpload upload = buckets.beginPut(BUCKET, key, S3Metadata.EMPTY, body.length, true))
                        {
                            upload.append(MemorySegment.ofArray(body));
                            barrier.await();
                            return upload.commit(body.length, null);
                        }
                    }));
                }
                S3Object winner = null;
                int lost = 0;
                for (final Future<S3Object> result : results)
                {
                    try
                    {
                        winner = result.get();
                    }
                    catch (final ExecutionException e)
                    {
                        assertEquals(S3Error.PreconditionFailed, ((S3Exception)e.getCause()).error());
                        lost++;
                    }
                }
                assertEquals(1, lost, "round " + round + ": exactly one put loses");
                assertEquals(winner.etag(), buckets.head(BUCKET, key).orElseThrow().etag(), "the winner's bytes are the object");
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertS3Error(S3Error.PreconditionFailed, () ->
        {
            try (ObjectUpload upload = buckets.beginPut(BUCKET, "race-0", S3Metadata.EMPTY, 1, true))
            {
                upload.append(MemorySegment.ofArray(new byte[1]));
                upload.commit(1, null);
            }
        });
    }

    @Test
    void shouldDeleteAndAnswerNoSuchKeyAfterwards()
    {
        t.put(BUCKET, "gone", content(4, 10), S3Metadata.EMPTY);
        assertTrue(buckets.delete(BUCKET, "gone"));
        assertFalse(buckets.delete(BUCKET, "gone"), "S3 answers 204 either way; the store says nothing was there");
        assertTrue(buckets.head(BUCKET, "gone").isEmpty());
        assertS3Error(S3Error.NoSuchKey, () -> buckets.open(BUCKET, "gone"));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.open("missing", "gone"));
        assertS3Error(S3Error.KeyTooLongError, () -> buckets.head(BUCKET, "k".repeat(1025)));
    }

    @Test
    void shouldCopyWithTheSourceMetadataOrTheRequestsAndCopyBytesExactly()
    {
        final byte[] body = content(5, 2 * MIB + 17);
        final S3Object source = t.put(BUCKET, "src", body, META);
        buckets.createBucket("other");

        final S3Object kept = buckets.copy(BUCKET, "src", "other", "copy", MetadataDirective.COPY, S3Metadata.EMPTY, "");
        assertEquals(META, kept.metadata(), "COPY keeps every header, user entry, tag and checksum");
        assertEquals(source.etag(), kept.etag());
        assertArrayEquals(body, t.read("other", "copy"));

        final S3Metadata replacement = new S3Metadata("text/plain", "", "", "", "", "", Map.of("new", "1"), Map.of(), Map.of());
        final S3Object replaced = buckets.copy(BUCKET, "src", BUCKET, "copy2", MetadataDirective.REPLACE, replacement,
            "\"" + source.etag() + "\"");
        assertEquals(replacement, replaced.metadata());
        assertArrayEquals(body, t.read(BUCKET, "copy2"));
        assertEquals(META, buckets.head(BUCKET, "src").orElseThrow().metadata(), "the source is untouched");

        assertS3Error(S3Error.PreconditionFailed,
            () -> buckets.copy(BUCKET, "src", BUCKET, "copy3", MetadataDirective.COPY, S3Metadata.EMPTY, md5Hex(new byte[1])));
        assertS3Error(S3Error.NoSuchKey, () -> buckets.copy(BUCKET, "nope", BUCKET, "copy3", MetadataDirective.COPY, S3Metadata.EMPTY, ""));
        assertTrue(buckets.head(BUCKET, "copy3").isEmpty());
    }

    @Test
    void shouldCopyOntoItselfWithReplaceWithoutCopyingData()
    {
        final byte[] body = content(6, 3 * MIB);
        final S3Object source = t.put(BUCKET, "self", body, META);
        final long usedBefore = t.usedBytes();
        final S3Metadata replacement = new S3Metadata("text/csv", "", "", "", "", "", Map.of("v", "2"), Map.of(), Map.of());

        final S3Object replaced = buckets.copy(BUCKET, "self", BUCKET, "self", MetadataDirective.REPLACE, replacement, "");

        assertEquals(replacement, replaced.metadata());
        assertEquals(source.etag(), replaced.etag());
        assertNotEquals(source.record().version(), replaced.record().version());
        assertEquals(source.record().layout().extents(), replaced.record().layout().extents(), "same extents: no data was copied");
        assertEquals(usedBefore, t.usedBytes());
        assertArrayEquals(body, t.read(BUCKET, "self"));
        assertS3Error(S3Error.InvalidRequest, () -> buckets.copy(BUCKET, "self", BUCKET, "self", MetadataDirective.COPY, S3Metadata.EMPTY, ""));
    }

    @Test
    void shouldReplaceTagsKeepingDataAndOtherMetadata()
    {
        final byte[] body = content(8, 70_000);
        final S3Object source = t.put(BUCKET, "tagged", body, META);

        final S3Object tagged = buckets.putTagging(BUCKET, "tagged", Map.of("stage", "prod", "owner", "ml"));

        assertEquals(META.withTags(Map.of("stage", "prod", "owner", "ml")), tagged.metadata());
        assertEquals(tagged.metadata(), buckets.head(BUCKET, "tagged").orElseThrow().metadata());
        assertEquals(source.etag(), tagged.etag());
        assertArrayEquals(body, t.read(BUCKET, "tagged"));
        assertEquals(Map.of(), buckets.putTagging(BUCKET, "tagged", Map.of()).metadata().tags());
        assertS3Error(S3Error.NoSuchKey, () -> buckets.putTagging(BUCKET, "untagged", Map.of("a", "b")));
        assertS3Error(S3Error.InvalidTag, () -> buckets.putTagging(BUCKET, "tagged", Map.of("aws:x", "b")));
    }

    @Test
    void shouldStoreChecksumsGivenAtCommitInTheSameVersion()
    {
        final byte[] body = content(11, MIB + 17);
        final long versionBefore = t.put(BUCKET, "other", new byte[1], S3Metadata.EMPTY).record().version();
        final S3Object stored;
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "trailer", META, -1, false))
        {
            upload.append(MemorySegment.ofArray(body));
            stored = upload.commit(-1, null, Map.of("CRC64NVME", "AAAAAAAAAAA="));
        }
        assertEquals(versionBefore + 1, stored.record().version(), "one commit, no metadata-only second version");
        assertEquals(META.withChecksums(Map.of("CRC64NVME", "AAAAAAAAAAA=")), stored.metadata());
        assertEquals(stored.metadata(), buckets.head(BUCKET, "trailer").orElseThrow().metadata());
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "headers-only", META, -1, false))
        {
            upload.append(MemorySegment.ofArray(body));
            assertEquals(META, upload.commit(-1, null, Map.of()).metadata(), "no checksums at commit keeps those given at the start");
        }
    }

    @Test
    void shouldRefuseChecksumsThatOverflowTheMetadataWithoutLeakingSpace()
    {
        // Headers that leave less room than one checksum needs in the store's 8 KiB of metadata.
        final S3Metadata nearlyFull = new S3Metadata("", "", "x".repeat(8192 - 40), "", "", "", Map.of(), Map.of(), Map.of());
        final long usedBefore = t.usedBytes();
        try (ObjectUpload upload = buckets.beginPut(BUCKET, "full", nearlyFull, -1, false))
        {
            upload.append(MemorySegment.ofArray(content(12, MIB + 5)));
            assertS3Error(S3Error.MetadataTooLarge, () -> upload.commit(-1, null, Map.of("SHA256", "x".repeat(44))));
        }
        assertEquals(usedBefore, t.usedBytes());
        assertTrue(buckets.head(BUCKET, "full").isEmpty());
    }

    @Test
    void shouldRefuseMetadataBeyondS3LimitsBeforeWritingAnything()
    {
        final S3Metadata tooMuch = new S3Metadata("", "", "", "", "", "", Map.of("k", "v".repeat(2048)), Map.of(), Map.of());
        assertS3Error(S3Error.MetadataTooLarge, () -> buckets.beginPut(BUCKET, "k", tooMuch, 1, false));
        assertS3Error(S3Error.InvalidArgument, () -> buckets.beginPut(BUCKET, "a/../b", S3Metadata.EMPTY, 1, false));
    }
}
