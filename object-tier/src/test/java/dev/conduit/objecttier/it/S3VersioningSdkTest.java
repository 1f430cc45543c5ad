package dev.conduit.objecttier.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 versioning through the AWS SDK for Java v2 against a real server: enabling and suspending,
 * overwrites that keep every version, reads and deletes by version id, delete markers, rollback by
 * copying an old version over the current one, ListObjectVersions paging with key and version-id
 * markers and a delimiter, versioned multipart completion.
 */
@Timeout(120)
final class S3VersioningSdkTest
{
    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    @Test
    void shouldKeepEveryOverwriteOnceVersioningIsEnabled()
    {
        final String bucket = S3.newBucket();
        assertNull(S3.client().getBucketVersioning(b -> b.bucket(bucket)).status(), "never configured");
        S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v0"));
        enable(bucket);
        assertEquals(BucketVersioningStatus.ENABLED, S3.client().getBucketVersioning(b -> b.bucket(bucket)).status());
        final String v1 = S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).versionId();
        final String v2 = S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v2")).versionId();
        assertNotNull(v1);
        assertNotEquals(v1, v2);
        assertEquals("v2", text(bucket, "k", null));
        assertEquals("v1", text(bucket, "k", v1));
        assertEquals("v0", text(bucket, "k", "null"));
        assertEquals(v1, S3.client().headObject(b -> b.bucket(bucket).key("k").versionId(v1)).versionId());
        assertEquals(v2, S3.client().headObject(b -> b.bucket(bucket).key("k")).versionId());

        final ListObjectVersionsResponse listed = S3.client().listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of(v2, v1, "null"), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertEquals(List.of(true, false, false), listed.versions().stream().map(ObjectVersion::isLatest).toList());
        assertEquals(1, S3.client().listObjectsV2(b -> b.bucket(bucket)).keyCount());
        assertS3Error(404, "NoSuchVersion", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId("00000000000fffff")));
        assertS3Error(400, "InvalidArgument", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId("nonsense")));
    }

    @Test
    void shouldHideAKeyBehindADeleteMarkerUntilTheMarkerIsRemoved()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final String v1 = S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).versionId();
        final DeleteObjectResponse deleted = S3.client().deleteObject(b -> b.bucket(bucket).key("k"));
        assertTrue(deleted.deleteMarker());
        final String marker = deleted.versionId();
        assertNotNull(marker);

        final S3Exception missing = assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertEquals("true", missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").orElse(""));
        assertEquals(marker, missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id").orElse(""));
        assertS3Error(405, "MethodNotAllowed", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(marker)));
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(bucket)).keyCount());

        final ListObjectVersionsResponse listed = S3.client().listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of(marker), listed.deleteMarkers().stream().map(DeleteMarkerEntry::versionId).toList());
        assertTrue(listed.deleteMarkers().getFirst().isLatest());
        assertEquals(List.of(v1), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertFalse(listed.versions().getFirst().isLatest());

        final DeleteObjectResponse unmarked = S3.client().deleteObject(b -> b.bucket(bucket).key("k").versionId(marker));
        assertTrue(unmarked.deleteMarker());
        assertEquals(marker, unmarked.versionId());
        assertEquals("v1", text(bucket, "k", null));

        S3.client().deleteObject(b -> b.bucket(bucket).key("k").versionId(v1));
        assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertTrue(S3.client().listObjectVersions(b -> b.bucket(bucket)).versions().isEmpty());
        S3.client().deleteBucket(b -> b.bucket(bucket));
    }

    @Test
    void shouldRollBackByCopyingAnOldVersionOverTheCurrentOne()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final String good = S3.client().putObject(b -> b.bucket(bucket).key("ckpt"), RequestBody.fromString("good")).versionId();
        S3.client().putObject(b -> b.bucket(bucket).key("ckpt"), RequestBody.fromString("bad"));
        final CopyObjectResponse copied = S3.client().copyObject(b -> b.sourceBucket(bucket).sourceKey("ckpt").sourceVersionId(good)
            .destinationBucket(bucket).destinationKey("ckpt"));
        assertEquals(good, copied.copySourceVersionId());
        assertNotEquals(good, copied.versionId());
        assertEquals("good", text(bucket, "ckpt", null));
        assertEquals(3, S3.client().listObjectVersions(b -> b.bucket(bucket)).versions().size());
    }

    @Test
    void shouldWriteTheNullVersionWhileSuspended()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final String v1 = S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).versionId();
        S3.client().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
        assertEquals(BucketVersioningStatus.SUSPENDED, S3.client().getBucketVersioning(b -> b.bucket(bucket)).status());
        assertEquals("null", S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("n1")).versionId());
        S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("n2"));
        final ListObjectVersionsResponse listed = S3.client().listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of("null", v1), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertEquals("n2", text(bucket, "k", null));
        final DeleteObjectResponse deleted = S3.client().deleteObject(b -> b.bucket(bucket).key("k"));
        assertEquals("null", deleted.versionId());
        assertTrue(deleted.deleteMarker());
        final ListObjectVersionsResponse after = S3.client().listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of(v1), after.versions().stream().map(ObjectVersion::versionId).toList(), "the null object was replaced");
        assertEquals(1, after.deleteMarkers().size());
        assertS3Error(400, "IllegalVersioningConfigurationException", () -> S3.client().putBucketVersioning(
            b -> b.bucket(bucket).versioningConfiguration(c -> c.status("Off"))));
    }

    @Test
    void shouldPageVersionsWithKeyAndVersionIdMarkersAndRollUpPrefixes()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final List<String> expected = new ArrayList<>();
        for (final String key : List.of("a", "b", "c/1", "c/2", "d"))
        {
            final List<String> newestFirst = new ArrayList<>();
            for (int v = 0; v < 2; v++)
            {
                final String body = key + v;
                newestFirst.addFirst(key + "@" + S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId());
            }
            expected.addAll(newestFirst);
        }
        final List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String versionIdMarker = null;
        for (int page = 0; page < 10; page++)
        {
            final String km = keyMarker;
            final String vm = versionIdMarker;
            final ListObjectVersionsResponse r = S3.client().listObjectVersions(b -> b.bucket(bucket).maxKeys(3).keyMarker(km).versionIdMarker(vm));
            r.versions().forEach(v -> seen.add(v.key() + "@" + v.versionId()));
            if (!r.isTruncated())
            {
                break;
            }
            keyMarker = r.nextKeyMarker();
            versionIdMarker = r.nextVersionIdMarker();
        }
        assertEquals(expected, seen);

        final ListObjectVersionsResponse rolled = S3.client().listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("c/"), rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(6, rolled.versions().size());
        final ListObjectVersionsResponse prefixed = S3.client().listObjectVersions(b -> b.bucket(bucket).prefix("c/"));
        assertEquals(4, prefixed.versions().size());
        final ListObjectVersionsResponse afterGroup = S3.client().listObjectVersions(b -> b.bucket(bucket).delimiter("/").keyMarker("c/"));
        assertEquals(List.of("d", "d"), afterGroup.versions().stream().map(ObjectVersion::key).toList());
    }

    @Test
    void shouldCreateAVersionWhenAMultipartUploadCompletes()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final String v1 = S3.client().putObject(b -> b.bucket(bucket).key("mp"), RequestBody.fromString("small")).versionId();
        final String uploadId = S3.client().createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        final byte[] part = new byte[5 << 20];
        part[7] = 7;
        final String etag = S3.client().uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(part)).eTag();
        final String v2 = S3.client().completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
            .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId();
        assertNotNull(v2);
        assertNotEquals(v1, v2);
        assertArrayEquals(part, S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("mp")).asByteArray());
        assertEquals("small", text(bucket, "mp", v1));
    }

    @Test
    void shouldRefuseToDeleteABucketThatHoldsVersions()
    {
        final String bucket = S3.newBucket();
        enable(bucket);
        final String v1 = S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v1")).versionId();
        final DeletedObject batchMarker = S3.client().deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("k"))))
            .deleted().getFirst();
        assertTrue(batchMarker.deleteMarker());
        final String marker = batchMarker.deleteMarkerVersionId();
        assertNotNull(marker);
        assertS3Error(409, "BucketNotEmpty", () -> S3.client().deleteBucket(b -> b.bucket(bucket)));
        final List<DeletedObject> removed = S3.client().deleteObjects(b -> b.bucket(bucket)
            .delete(d -> d.objects(o -> o.key("k").versionId(v1), o -> o.key("k").versionId(marker)))).deleted();
        assertEquals(List.of(v1, marker), removed.stream().map(DeletedObject::versionId).toList());
        assertEquals(List.of(false, true), removed.stream().map(r -> Boolean.TRUE.equals(r.deleteMarker())).toList());
        S3.client().deleteBucket(b -> b.bucket(bucket));
    }

    private static void enable(final String bucket)
    {
        S3.client().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    }

    private static String text(final String bucket, final String key, final String versionId)
    {
        return new String(S3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asByteArray(), StandardCharsets.UTF_8);
    }

    private static S3Exception assertS3Error(final int status, final String code, final Executable call)
    {
        final S3Exception thrown = assertThrows(S3Exception.class, call);
        assertEquals(status, thrown.statusCode(), thrown.toString());
        assertEquals(code, thrown.awsErrorDetails().errorCode(), thrown.toString());
        return thrown;
    }
}
