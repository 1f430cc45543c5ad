package dev.conduit.objecttier.bucket;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.SpaceReport;
import dev.conduit.objecttier.S3Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static dev.conduit.objecttier.bucket.TestBuckets.content;
import static dev.conduit.objecttier.bucket.TestBuckets.md5;
import static dev.conduit.objecttier.bucket.TestBuckets.md5Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multipart uploads on a real store: completion, its ETag and space, every S3 refusal, abort, listings. */
@Timeout(120)
class BucketMultipartTest extends RealStoreTest
{
    private static final String BUCKET = "multi";
    private static final int PART = 5 * MIB;
    private static final S3Metadata META = new S3Metadata("video/mp4", "", "", "", "", "", Map.of("cam", "3"), Map.of("k", "v"), Map.of());

    BucketMultipartTest()
    {
        super(128L * MIB, BUCKET);
    }

    @Test
    void shouldCompleteThreeFullPartsAndATailIntoTheExactBytesWithS3sEtag()
    {
        final SpaceReport before = t.store().space();
        final MultipartUpload upload = buckets.createUpload(BUCKET, "movie.mp4", META);
        final List<byte[]> bodies = List.of(content(1, PART), content(2, PART), content(3, PART), content(4, 12_345));
        final List<CompletedPart> completed = new ArrayList<>();
        final ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        final ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.size(); i++)
        {
            final S3Object part = t.putPart(BUCKET, "movie.mp4", upload.uploadId(), i + 1, bodies.get(i));
            assertEquals(md5Hex(bodies.get(i)), part.etag());
            completed.add(new CompletedPart(i + 1, i % 2 == 0 ? "\"" + part.etag() + "\"" : part.etag()));
            md5s.writeBytes(md5(bodies.get(i)));
            whole.writeBytes(bodies.get(i));
        }
        assertTrue(buckets.head(BUCKET, "movie.mp4").isEmpty(), "nothing is visible before completion");

        final S3Object object = buckets.completeUpload(BUCKET, "movie.mp4", upload.uploadId(), completed);

        assertEquals(HexFormat.of().formatHex(md5(md5s.toByteArray())) + "-4", object.etag());
        assertEquals(whole.size(), object.sizeBytes());
        assertEquals(META, object.metadata());
        assertEquals(object.etag(), buckets.head(BUCKET, "movie.mp4").orElseThrow().etag());
        assertArrayEquals(whole.toByteArray(), t.read(BUCKET, "movie.mp4"));
        assertTrue(t.store().list(ListRequest.of(".p/", 10)).objects().isEmpty(), "the part records vanished");
        assertTrue(t.store().list(ListRequest.of(".u/", 10)).objects().isEmpty(), "the upload record vanished");
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.completeUpload(BUCKET, "movie.mp4", upload.uploadId(), completed));

        assertTrue(buckets.delete(BUCKET, "movie.mp4"));
        assertEquals(before, t.store().space(), "deleting the object gives back every byte the parts took");
    }

    @Test
    void shouldReplaceAPartUploadedTwiceAndDropPartsTheClientDidNotName()
    {
        final MultipartUpload upload = buckets.createUpload(BUCKET, "k", S3Metadata.EMPTY);
        t.putPart(BUCKET, "k", upload.uploadId(), 1, content(10, PART));
        final S3Object second = t.putPart(BUCKET, "k", upload.uploadId(), 1, content(11, PART));
        final S3Object unnamed = t.putPart(BUCKET, "k", upload.uploadId(), 2, content(12, 1000));
        final S3Object tail = t.putPart(BUCKET, "k", upload.uploadId(), 3, content(13, 1000));
        assertEquals(3, buckets.listParts(BUCKET, "k", upload.uploadId(), 0, 100).parts().size());

        final S3Object object = buckets.completeUpload(BUCKET, "k", upload.uploadId(),
            List.of(new CompletedPart(1, second.etag()), new CompletedPart(3, tail.etag())));

        assertArrayEquals(concat(content(11, PART), content(13, 1000)), t.read(BUCKET, "k"));
        assertTrue(object.etag().endsWith("-2"));
        assertTrue(t.store().find(StoreKeys.part(upload.uploadId(), 2)).isEmpty(), "part 2 (" + unnamed.etag() + ") was freed");
    }

    @Test
    void shouldCompletePartsOfUnalignedSizesWithTheLongestBucketNameAndKey()
    {
        // 63-character bucket, 1024-byte key: the upload's store key is the longest the layout makes.
        final String bucket = "b".repeat(63);
        final String key = "é".repeat(511) + "ab";
        buckets.createBucket(bucket);
        final MultipartUpload upload = buckets.createUpload(bucket, key, META);
        final byte[] first = content(60, PART + 4_097);
        final byte[] second = content(61, PART + 1);
        final byte[] last = content(62, 3);
        final List<CompletedPart> parts = List.of(
            new CompletedPart(1, t.putPart(bucket, key, upload.uploadId(), 1, first).etag()),
            new CompletedPart(2, t.putPart(bucket, key, upload.uploadId(), 2, second).etag()),
            new CompletedPart(3, t.putPart(bucket, key, upload.uploadId(), 3, last).etag()));
        assertEquals(key, buckets.listUploads(bucket, "", "", "", "", 10).uploads().getFirst().key());

        final S3Object object = buckets.completeUpload(bucket, key, upload.uploadId(), parts);

        assertEquals(HexFormat.of().formatHex(md5(concat(concat(md5(first), md5(second)), md5(last)))) + "-3", object.etag());
        assertArrayEquals(concat(concat(first, second), last), t.read(bucket, key));
        assertEquals(List.of(key), buckets.list(bucket, new ListQuery("", "", "", 10)).objects().stream().map(S3Object::key).toList());
    }

    @Test
    void shouldRefuseCompletionsS3Refuses()
    {
        final MultipartUpload upload = buckets.createUpload(BUCKET, "k", S3Metadata.EMPTY);
        final String id = upload.uploadId();
        final S3Object small = t.putPart(BUCKET, "k", id, 1, content(20, PART - 1));
        final S3Object full = t.putPart(BUCKET, "k", id, 2, content(21, PART));
        final S3Object last = t.putPart(BUCKET, "k", id, 3, content(22, 10));

        assertS3Error(S3Error.InvalidPartOrder, () -> buckets.completeUpload(BUCKET, "k", id,
            List.of(new CompletedPart(2, full.etag()), new CompletedPart(1, small.etag()))));
        assertS3Error(S3Error.InvalidPartOrder, () -> buckets.completeUpload(BUCKET, "k", id,
            List.of(new CompletedPart(2, full.etag()), new CompletedPart(2, full.etag()))));
        assertS3Error(S3Error.InvalidPart, () -> buckets.completeUpload(BUCKET, "k", id,
            List.of(new CompletedPart(2, full.etag()), new CompletedPart(4, last.etag()))));
        assertS3Error(S3Error.InvalidPart, () -> buckets.completeUpload(BUCKET, "k", id,
            List.of(new CompletedPart(2, last.etag()), new CompletedPart(3, last.etag()))));
        assertS3Error(S3Error.EntityTooSmall, () -> buckets.completeUpload(BUCKET, "k", id,
            List.of(new CompletedPart(1, small.etag()), new CompletedPart(3, last.etag()))));
        assertS3Error(S3Error.MalformedXML, () -> buckets.completeUpload(BUCKET, "k", id, List.of()));
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.completeUpload(BUCKET, "other-key", id,
            List.of(new CompletedPart(2, full.etag()))));
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.completeUpload(BUCKET, "k", "no-such-upload",
            List.of(new CompletedPart(2, full.etag()))));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.completeUpload("missing", "k", id, List.of(new CompletedPart(2, full.etag()))));
        assertS3Error(S3Error.InvalidArgument, () -> buckets.beginPart(BUCKET, "k", id, 10_001, 1));
        assertS3Error(S3Error.InvalidArgument, () -> buckets.beginPart(BUCKET, "k", id, 0, 1));
        assertEquals(3, buckets.listParts(BUCKET, "k", id, 0, 100).parts().size(), "refused completions changed nothing");

        // A lone part may be small: it is the last.
        final S3Object object = buckets.completeUpload(BUCKET, "k", id, List.of(new CompletedPart(1, small.etag())));
        assertEquals(PART - 1, object.sizeBytes());
    }

    @Test
    void shouldAbortFreeingEverySpaceTheUploadTook()
    {
        final SpaceReport before = t.store().space();
        final MultipartUpload upload = buckets.createUpload(BUCKET, "k", META);
        t.putPart(BUCKET, "k", upload.uploadId(), 1, content(30, PART));
        t.putPart(BUCKET, "k", upload.uploadId(), 2, content(31, 3 * MIB));
        assertTrue(t.usedBytes() > before.usedBytes());

        buckets.abortUpload(BUCKET, "k", upload.uploadId());

        assertEquals(before, t.store().space(), "the space report is as before the upload: used, free units, largest run, partial units");
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.abortUpload(BUCKET, "k", upload.uploadId()));
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.beginPart(BUCKET, "k", upload.uploadId(), 3, 1));
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.completeUpload(BUCKET, "k", upload.uploadId(), List.of(new CompletedPart(1, "x"))));
        assertTrue(buckets.listUploads(BUCKET, "", "", "", "", 10).uploads().isEmpty());
    }

    @Test
    void shouldRefuseAPartThatCommitsAfterItsUploadWasAborted()
    {
        final SpaceReport before = t.store().space();
        final MultipartUpload upload = buckets.createUpload(BUCKET, "k", S3Metadata.EMPTY);
        try (ObjectUpload part = buckets.beginPart(BUCKET, "k", upload.uploadId(), 1, 100))
        {
            part.append(MemorySegment.ofArray(content(40, 100)));
            buckets.abortUpload(BUCKET, "k", upload.uploadId());
            assertS3Error(S3Error.NoSuchUpload, () -> part.commit(100, null));
        }
        assertTrue(t.store().find(StoreKeys.part(upload.uploadId(), 1)).isEmpty(), "no orphaned part");
        assertEquals(before, t.store().space(), "the refused part's space was freed");
    }

    @Test
    void shouldCopyPartsFromRangesOfAnObject()
    {
        final byte[] source = content(50, 7 * MIB + 3);
        t.put(BUCKET, "src", source, S3Metadata.EMPTY);
        final MultipartUpload upload = buckets.createUpload(BUCKET, "dst", S3Metadata.EMPTY);

        final PartInfo first = buckets.copyPart(BUCKET, "dst", upload.uploadId(), 1, BUCKET, "src", 0, PART);
        final PartInfo rest = buckets.copyPart(BUCKET, "dst", upload.uploadId(), 2, BUCKET, "src", PART, -1);
        final PartInfo middle = buckets.copyPart(BUCKET, "dst", upload.uploadId(), 3, BUCKET, "src", 1_000_001, 77);

        assertEquals(md5Hex(Arrays.copyOfRange(source, 0, PART)), first.etag());
        assertEquals(source.length - PART, rest.sizeBytes());
        assertEquals(md5Hex(Arrays.copyOfRange(source, 1_000_001, 1_000_078)), middle.etag());
        assertS3Error(S3Error.InvalidArgument, () -> buckets.copyPart(BUCKET, "dst", upload.uploadId(), 4, BUCKET, "src", 0, source.length + 1));
        assertS3Error(S3Error.NoSuchKey, () -> buckets.copyPart(BUCKET, "dst", upload.uploadId(), 4, BUCKET, "nope", 0, 1));

        buckets.completeUpload(BUCKET, "dst", upload.uploadId(), List.of(new CompletedPart(1, first.etag()), new CompletedPart(2, rest.etag())));
        assertArrayEquals(source, t.read(BUCKET, "dst"));
    }

    @Test
    void shouldListPartsInPages()
    {
        final MultipartUpload upload = buckets.createUpload(BUCKET, "k", META);
        for (final int n : new int[]{7, 1, 3, 10_000, 12})
        {
            t.putPart(BUCKET, "k", upload.uploadId(), n, content(n, n % 100 + 1));
        }
        final List<Integer> seen = new ArrayList<>();
        int marker = 0;
        while (true)
        {
            final PartListing page = buckets.listParts(BUCKET, "k", upload.uploadId(), marker, 2);
            assertEquals(upload.uploadId(), page.upload().uploadId());
            assertEquals(META, page.upload().metadata());
            page.parts().forEach(p -> seen.add(p.partNumber()));
            if (!page.truncated())
            {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        assertEquals(List.of(1, 3, 7, 12, 10_000), seen);
        final PartInfo afterThree = buckets.listParts(BUCKET, "k", upload.uploadId(), 3, 1).parts().getFirst();
        assertEquals(7, afterThree.partNumber());
        assertEquals(8, afterThree.sizeBytes());
    }

    @Test
    void shouldListUploadsByKeyThenInitiationWithMarkersAndCommonPrefixes()
    {
        final MultipartUpload a1 = buckets.createUpload(BUCKET, "a", S3Metadata.EMPTY);
        final MultipartUpload a2 = buckets.createUpload(BUCKET, "a", S3Metadata.EMPTY);
        final MultipartUpload ab = buckets.createUpload(BUCKET, "ab", S3Metadata.EMPTY);
        final MultipartUpload dir1 = buckets.createUpload(BUCKET, "dir/x", S3Metadata.EMPTY);
        buckets.createUpload(BUCKET, "dir/y", S3Metadata.EMPTY);
        final MultipartUpload z = buckets.createUpload(BUCKET, "z", S3Metadata.EMPTY);
        final List<String> aIds = a1.uploadId().compareTo(a2.uploadId()) < 0
            ? List.of(a1.uploadId(), a2.uploadId())
            : List.of(a2.uploadId(), a1.uploadId());

        final UploadListing all = buckets.listUploads(BUCKET, "", "", "", "", 100);
        assertEquals(List.of("a", "a", "ab", "dir/x", "dir/y", "z"), all.uploads().stream().map(MultipartUpload::key).toList());
        assertEquals(aIds, all.uploads().subList(0, 2).stream().map(MultipartUpload::uploadId).toList());

        final UploadListing first = buckets.listUploads(BUCKET, "", "/", "", "", 1);
        assertTrue(first.truncated());
        assertEquals("a", first.nextKeyMarker());
        assertEquals(aIds.getFirst(), first.nextUploadIdMarker());
        final UploadListing second = buckets.listUploads(BUCKET, "", "/", first.nextKeyMarker(), first.nextUploadIdMarker(), 3);
        assertEquals(List.of(aIds.get(1), ab.uploadId()), second.uploads().stream().map(MultipartUpload::uploadId).toList());
        assertEquals(List.of("dir/"), second.commonPrefixes());
        assertEquals("dir/", second.nextKeyMarker());
        assertEquals("", second.nextUploadIdMarker());
        final UploadListing third = buckets.listUploads(BUCKET, "", "/", second.nextKeyMarker(), "", 3);
        assertEquals(List.of(z.uploadId()), third.uploads().stream().map(MultipartUpload::uploadId).toList());
        assertTrue(third.commonPrefixes().isEmpty());
        assertFalse(third.truncated());

        final UploadListing afterA = buckets.listUploads(BUCKET, "", "", "a", "", 100);
        assertEquals("ab", afterA.uploads().getFirst().key(), "a key marker alone skips every upload of that key");
        final UploadListing underDir = buckets.listUploads(BUCKET, "dir/", "", "", "", 100);
        assertEquals(2, underDir.uploads().size());
        assertEquals(dir1.uploadId(), underDir.uploads().getFirst().uploadId());
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
