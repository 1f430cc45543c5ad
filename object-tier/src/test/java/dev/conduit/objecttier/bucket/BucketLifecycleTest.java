package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.List;

import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.objecttier.S3Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Buckets on a real store: create, find, list, ACL, delete, and the errors of each. */
@Timeout(60)
class BucketLifecycleTest extends RealStoreTest
{
    BucketLifecycleTest()
    {
        super(64L * MIB);
    }

    @Test
    void shouldCreateFindAndListBucketsInNameOrder()
    {
        final Instant before = Instant.now().minusMillis(1);
        final BucketInfo zeta = buckets.createBucket("zeta");
        buckets.createBucket("alpha.b");
        buckets.createBucket("alpha");

        assertFalse(zeta.publicRead());
        assertTrue(!zeta.created().isBefore(before) && !zeta.created().isAfter(Instant.now()));
        assertEquals(zeta, buckets.requireBucket("zeta"));
        assertEquals(List.of("alpha", "alpha.b", "zeta"), buckets.listBuckets().stream().map(BucketInfo::name).toList());
        assertTrue(buckets.bucket("nope").isEmpty());
    }

    @Test
    void shouldRefuseASecondCreateAndInvalidNames()
    {
        final BucketInfo first = buckets.createBucket("photos");
        assertS3Error(S3Error.BucketAlreadyOwnedByYou, () -> buckets.createBucket("photos"));
        assertEquals(first, buckets.requireBucket("photos"), "the failed create changed nothing");
        assertS3Error(S3Error.InvalidBucketName, () -> buckets.createBucket("Photos"));
        assertS3Error(S3Error.InvalidBucketName, () -> buckets.createBucket("ab"));
        assertEquals(1, buckets.listBuckets().size());

        // Only creation names the rule; elsewhere a name no bucket can have is simply not there.
        assertTrue(buckets.bucket("Photos").isEmpty());
        assertTrue(buckets.bucket("x".repeat(2000)).isEmpty());
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.requireBucket("photos/../x"));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.deleteBucket("Photos"));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.head("..", "k"));
    }

    @Test
    void shouldSetPublicReadKeepingTheCreationTime()
    {
        final BucketInfo created = buckets.createBucket("site");
        final BucketInfo opened = buckets.setPublicRead("site", true);
        assertTrue(opened.publicRead());
        assertEquals(created.created(), opened.created());
        assertEquals(opened, buckets.requireBucket("site"));
        assertFalse(buckets.setPublicRead("site", false).publicRead());
        assertFalse(buckets.requireBucket("site").publicRead());
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.setPublicRead("other", true));
    }

    @Test
    void shouldSeeEveryChangeOfABucketItHasAlreadyLookedUp()
    {
        // Lookups are kept between changes: each change must show in the very next lookup.
        buckets.createBucket("seen");
        assertFalse(buckets.requireBucket("seen").publicRead());
        buckets.setPublicRead("seen", true);
        assertTrue(buckets.bucket("seen").orElseThrow().publicRead());
        buckets.deleteBucket("seen");
        assertTrue(buckets.bucket("seen").isEmpty());
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.requireBucket("seen"));
        buckets.createBucket("seen");
        assertFalse(buckets.requireBucket("seen").publicRead(), "a bucket created again starts private");
        buckets.setVersioning("seen", VersioningMode.ENABLED);
        assertEquals(VersioningMode.ENABLED, buckets.requireBucket("seen").versioning());
    }

    @Test
    void shouldDeleteOnlyAnEmptyBucket()
    {
        buckets.createBucket("bkt1");
        t.put("bkt1", "k", new byte[]{1, 2, 3}, S3Metadata.EMPTY);
        assertS3Error(S3Error.BucketNotEmpty, () -> buckets.deleteBucket("bkt1"));
        assertTrue(buckets.bucket("bkt1").isPresent());

        assertTrue(buckets.delete("bkt1", "k"));
        buckets.deleteBucket("bkt1");
        assertTrue(buckets.bucket("bkt1").isEmpty());
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.deleteBucket("bkt1"));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.head("bkt1", "k"));
        assertS3Error(S3Error.NoSuchBucket, () -> t.put("bkt1", "k", new byte[1], S3Metadata.EMPTY));
    }

    @Test
    void shouldAbortUploadsWhenDeletingABucketAndFreeTheirParts()
    {
        final long usedBefore = t.usedBytes();
        buckets.createBucket("bkt2");
        final MultipartUpload upload = buckets.createUpload("bkt2", "big", S3Metadata.EMPTY);
        t.putPart("bkt2", "big", upload.uploadId(), 1, TestBuckets.content(1, 3 * MIB));

        buckets.deleteBucket("bkt2");

        assertTrue(buckets.bucket("bkt2").isEmpty());
        assertTrue(t.store().list(ListRequest.of("", 100)).objects().isEmpty(),
            "no bucket, upload or part record is left in the store");
        assertEquals(usedBefore, t.usedBytes(), "the part's space was freed with the bucket record");
        buckets.createBucket("bkt2");
        assertS3Error(S3Error.NoSuchUpload, () -> buckets.listParts("bkt2", "big", upload.uploadId(), 0, 10));
    }

    @Test
    void shouldRefuseAPutThatCommitsAfterItsBucketWasDeleted()
    {
        buckets.createBucket("bkt3");
        try (ObjectUpload upload = buckets.beginPut("bkt3", "late", S3Metadata.EMPTY, 4, false))
        {
            upload.append(MemorySegment.ofArray(new byte[]{1, 2, 3, 4}));
            buckets.deleteBucket("bkt3");
            assertS3Error(S3Error.NoSuchBucket, () -> upload.commit(4, null));
        }
        assertTrue(t.store().find(StoreKeys.object("bkt3", "late")).isEmpty(), "nothing was published into the deleted bucket");
    }
}
