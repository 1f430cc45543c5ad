package dev.conduit.objecttier.it;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Type;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every S3 operation Conduit serves, driven through the AWS SDK for Java v2 against a real server
 * on a real socket: what a client sees (status, error code, headers, bytes) is checked against
 * what S3 documents, and data against digests computed here.
 */
@Timeout(120)
final class S3SdkSuiteTest
{
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    // ---- buckets

    @Test
    void shouldCreateHeadListAndDeleteABucket()
    {
        final Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final String bucket = S3.newBucket();

        S3.client().headBucket(b -> b.bucket(bucket));
        final var listed = S3.client().listBuckets().buckets().stream().filter(b -> b.name().equals(bucket)).toList();
        assertEquals(1, listed.size());
        final Instant created = listed.getFirst().creationDate();
        assertFalse(created.isBefore(before.minusSeconds(1)) || created.isAfter(Instant.now().plusSeconds(1)),
            created.toString());

        S3.client().deleteBucket(b -> b.bucket(bucket));
        assertS3Error(404, null, () -> S3.client().headBucket(b -> b.bucket(bucket)));
        assertFalse(S3.client().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
    }

    @Test
    void shouldDeleteOnlyAnEmptyBucket()
    {
        final String bucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));

        assertS3Error(409, "BucketNotEmpty", () -> S3.client().deleteBucket(b -> b.bucket(bucket)));
        S3.client().headBucket(b -> b.bucket(bucket));
        S3.client().deleteObject(b -> b.bucket(bucket).key("k"));
        S3.client().deleteBucket(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchBucket", () -> S3.client().listObjectsV2(b -> b.bucket(bucket)));
    }

    @Test
    void shouldAnswerBucketLocationAndRefuseBadOrDuplicateBuckets()
    {
        final String bucket = S3.newBucket();

        final String location = S3.client().getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
        assertTrue(null == location || location.isEmpty(), "us-east-1 is reported as an empty constraint: " + location);
        assertS3Error(409, "BucketAlreadyOwnedByYou", () -> S3.client().createBucket(b -> b.bucket(bucket)));
        // The SDK refuses names that break the DNS rules before sending; these pass its check and
        // break S3's reserved-name rules.
        assertS3Error(400, "InvalidBucketName", () -> S3.client().createBucket(b -> b.bucket("xn--conduit-test")));
        assertS3Error(400, "InvalidBucketName", () -> S3.client().createBucket(b -> b.bucket("conduit-test-s3alias")));
    }

    // ---- put and get

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5 * MIB})
    void shouldPutAndGetObjectsByteExactWithMd5Etags(final int size)
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(size, size);

        final PutObjectResponse put = S3.client()
            .putObject(b -> b.bucket(bucket).key("obj-" + size), RequestBody.fromBytes(data));
        final ResponseBytes<GetObjectResponse> got = S3.client()
            .getObjectAsBytes(b -> b.bucket(bucket).key("obj-" + size));

        assertEquals("\"" + Payloads.md5Hex(data) + "\"", put.eTag());
        assertArrayEquals(data, got.asByteArray());
        assertEquals(put.eTag(), got.response().eTag());
        assertEquals(size, got.response().contentLength());
    }

    @Test
    void shouldCheckContentMd5()
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(1000, 7);
        final String goodMd5 = Base64.getEncoder().encodeToString(Payloads.md5(data));
        final String wrongMd5 = Base64.getEncoder().encodeToString(Payloads.md5(new byte[] {1}));

        S3.client().putObject(b -> b.bucket(bucket).key("good").contentMD5(goodMd5), RequestBody.fromBytes(data));
        assertS3Error(400, "BadDigest",
            () -> S3.client().putObject(b -> b.bucket(bucket).key("bad").contentMD5(wrongMd5),
                RequestBody.fromBytes(data)));

        assertArrayEquals(data, S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("good")).asByteArray());
        assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("bad")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"})
    void shouldStoreEachChecksumAndReturnItInChecksumMode(final String algorithm)
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(300_000, algorithm.hashCode());
        final String expected = Payloads.checksumBase64(algorithm, data);

        final PutObjectResponse put = S3.client().putObject(
            b -> b.bucket(bucket).key("k").checksumAlgorithm(ChecksumAlgorithm.fromValue(algorithm)),
                RequestBody.fromBytes(data));
        final ResponseBytes<GetObjectResponse> got = S3.client().getObjectAsBytes(
            b -> b.bucket(bucket).key("k").checksumMode(ChecksumMode.ENABLED));
        final HeadObjectResponse head = S3.client()
            .headObject(b -> b.bucket(bucket).key("k").checksumMode(ChecksumMode.ENABLED));

        final GetObjectResponse get = got.response();
        final String fromPut = checksumOf(algorithm, put.checksumCRC32(), put.checksumCRC32C(), put.checksumCRC64NVME(),
            put.checksumSHA1(), put.checksumSHA256());
        final String fromGet = checksumOf(algorithm, get.checksumCRC32(), get.checksumCRC32C(), get.checksumCRC64NVME(),
            get.checksumSHA1(), get.checksumSHA256());
        final String fromHead = checksumOf(algorithm, head.checksumCRC32(), head.checksumCRC32C(),
            head.checksumCRC64NVME(), head.checksumSHA1(), head.checksumSHA256());
        assertAll(
            () -> assertArrayEquals(data, got.asByteArray()),
            () -> assertEquals(expected, fromPut, "PutObject response"),
            () -> assertEquals(expected, fromGet, "GetObject with x-amz-checksum-mode: ENABLED"),
            () -> assertEquals(expected, fromHead, "HeadObject with x-amz-checksum-mode: ENABLED"));
    }

    @Test
    void shouldRefuseASecondPutWithIfNoneMatchStar()
    {
        final String bucket = S3.newBucket();

        S3.client().putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
        assertS3Error(412, "PreconditionFailed",
            () -> S3.client().putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"),
                RequestBody.fromString("second")));

        assertEquals("first", S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("once")).asUtf8String());
    }

    @Test
    void shouldServeByteRangesWithContentRangeAnd416BeyondTheEnd()
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(1000, 11);
        S3.client().putObject(b -> b.bucket(bucket).key("r"), RequestBody.fromBytes(data));

        assertRange(bucket, "bytes=0-9", data, 0, 10);
        assertRange(bucket, "bytes=100-199", data, 100, 200);
        assertRange(bucket, "bytes=-10", data, 990, 1000);
        assertRange(bucket, "bytes=990-", data, 990, 1000);
        assertRange(bucket, "bytes=995-5000", data, 995, 1000);
        assertS3Error(416, "InvalidRange",
            () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=1000-")));
    }

    @Test
    void shouldEvaluateConditionalGetsAndHeadsAsS3Does()
    {
        final String bucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(bucket).key("c"), RequestBody.fromString("conditional"));
        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bucket).key("c"));
        final String etag = head.eTag();
        final Instant modified = head.lastModified();
        final Instant later = modified.plusSeconds(3600);
        final Instant earlier = modified.minusSeconds(3600);

        assertGetStatus(200, bucket, b -> b.ifMatch(etag));
        assertGetStatus(412, bucket, b -> b.ifMatch("\"00000000000000000000000000000000\""));
        assertGetStatus(304, bucket, b -> b.ifNoneMatch(etag));
        assertGetStatus(200, bucket, b -> b.ifNoneMatch("\"00000000000000000000000000000000\""));
        assertGetStatus(304, bucket, b -> b.ifModifiedSince(later));
        assertGetStatus(200, bucket, b -> b.ifModifiedSince(earlier));
        assertGetStatus(412, bucket, b -> b.ifUnmodifiedSince(earlier));
        assertGetStatus(200, bucket, b -> b.ifUnmodifiedSince(later));
        // S3: If-Match true wins over a false If-Unmodified-Since; a false If-None-Match wins over If-Modified-Since.
        assertGetStatus(200, bucket, b -> b.ifMatch(etag).ifUnmodifiedSince(earlier));
        assertGetStatus(304, bucket, b -> b.ifNoneMatch(etag).ifModifiedSince(earlier));

        assertS3Error(412, null, () -> S3.client().headObject(b -> b.bucket(bucket).key("c").ifMatch("\"0\"")));
        assertS3Error(304, null, () -> S3.client().headObject(b -> b.bucket(bucket).key("c").ifNoneMatch(etag)));
    }

    @Test
    void shouldRoundTripMetadataAndContentHeadersByteExact()
    {
        final String bucket = S3.newBucket();
        final Map<String, String> user = Map.of("color", "blue", "with-dash", "two  spaces", "utf8", "caf\u00e9");
        final String expires = "Wed, 02 Jan 2030 03:04:05 GMT";
        S3.client().putObject(b -> b.bucket(bucket).key("m").metadata(user)
            .contentType("text/plain; charset=utf-8")
            .contentEncoding("x-conduit")
            .cacheControl("max-age=60, private")
            .contentDisposition("attachment; filename=\"r.txt\"")
            .contentLanguage("en-GB")
            .overrideConfiguration(o -> o.putHeader("Expires", expires)), RequestBody.fromString("meta"));

        final HeadObjectResponse head = S3.client().headObject(b -> b.bucket(bucket).key("m"));
        final GetObjectResponse get = S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("m")).response();
        for (final var r : List.of(
            List.of(head.metadata(), head.contentType(), head.contentEncoding(), head.cacheControl(),
                head.contentDisposition(),
                head.contentLanguage(), head.expiresString()),
            List.of(get.metadata(), get.contentType(), get.contentEncoding(), get.cacheControl(),
                get.contentDisposition(),
                get.contentLanguage(), get.expiresString())))
        {
            assertEquals(List.of(user, "text/plain; charset=utf-8", "x-conduit", "max-age=60, private",
                "attachment; filename=\"r.txt\"", "en-GB", expires), r);
        }
        assertEquals(4L, head.contentLength());
    }

    @Test
    void shouldPutGetAndDeleteTagsAndAcceptTagsOnPut()
    {
        final String bucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(bucket).key("t").tagging("a=1&b=two%20words"),
            RequestBody.fromString("tagged"));

        assertEquals(Map.of("a", "1", "b", "two words"), tags(bucket, "t"));
        S3.client().putObjectTagging(b -> b.bucket(bucket).key("t")
            .tagging(t -> t.tagSet(Tag.builder().key("x").value("y").build())));
        assertEquals(Map.of("x", "y"), tags(bucket, "t"));
        S3.client().deleteObjectTagging(b -> b.bucket(bucket).key("t"));
        assertEquals(Map.of(), tags(bucket, "t"));
        assertEquals("tagged", S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("t")).asUtf8String(),
            "tagging left the data alone");
        assertS3Error(400, "InvalidTag", () -> S3.client().putObjectTagging(b -> b.bucket(bucket).key("t")
            .tagging(t -> t.tagSet(Tag.builder().key("aws:reserved").value("v").build()))));
    }

    // ---- delete and copy

    @Test
    void shouldDeleteOneObjectAndAnswer204ForAMissingOne()
    {
        final String bucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(bucket).key("d"), RequestBody.fromString("x"));

        assertEquals(204, S3.client().deleteObject(b -> b.bucket(bucket).key("d")).sdkHttpResponse().statusCode());
        assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("d")));
        assertEquals(204, S3.client().deleteObject(b -> b.bucket(bucket).key("d")).sdkHttpResponse().statusCode());
    }

    @Test
    void shouldDeleteManyObjectsAndReportOnlyFailuresWhenQuiet()
    {
        final String bucket = S3.newBucket();
        for (final String key : List.of("m1", "m2", "q1", "q2"))
        {
            S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }

        final DeleteObjectsResponse loud = S3.client().deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
            ObjectIdentifier.builder().key("m1").build(), ObjectIdentifier.builder().key("m2").build(),
            ObjectIdentifier.builder().key("never-existed").build())));
        final DeleteObjectsResponse quiet = S3.client().deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true)
            .objects(ObjectIdentifier.builder().key("q1").build(), ObjectIdentifier.builder().key("q2").build())));

        assertEquals(List.of("m1", "m2", "never-existed"), loud.deleted().stream().map(o -> o.key()).sorted().toList());
        assertTrue(loud.errors().isEmpty(), loud.errors().toString());
        assertTrue(quiet.deleted().isEmpty(), quiet.deleted().toString());
        assertTrue(quiet.errors().isEmpty(), quiet.errors().toString());
        assertEquals(0, S3.client().listObjectsV2(b -> b.bucket(bucket)).keyCount());
    }

    @Test
    void shouldCopyWithCopyReplaceAndSelfReplaceDirectives()
    {
        final String bucket = S3.newBucket();
        final String other = S3.newBucket();
        final byte[] data = Payloads.random(100_000, 5);
        S3.client().putObject(b -> b.bucket(bucket).key("src").contentType("image/png").metadata(Map.of("k", "v")),
            RequestBody.fromBytes(data));

        final var copied = S3.client()
            .copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(other).destinationKey("c1"));
        final var replaced = S3.client().copyObject(b -> b.sourceBucket(bucket).sourceKey("src")
            .destinationBucket(bucket).destinationKey("c2")
            .metadataDirective(MetadataDirective.REPLACE).contentType("text/plain").metadata(Map.of("n", "w")));
        S3.client().copyObject(b -> b.sourceBucket(bucket).sourceKey("src")
            .destinationBucket(bucket).destinationKey("src")
            .metadataDirective(MetadataDirective.REPLACE).contentType("application/x-self")
            .metadata(Map.of("self", "1")));

        assertEquals("\"" + Payloads.md5Hex(data) + "\"", copied.copyObjectResult().eTag());
        assertEquals("\"" + Payloads.md5Hex(data) + "\"", replaced.copyObjectResult().eTag());
        assertObject(other, "c1", data, "image/png", Map.of("k", "v"));
        assertObject(bucket, "c2", data, "text/plain", Map.of("n", "w"));
        assertObject(bucket, "src", data, "application/x-self", Map.of("self", "1"));
    }

    // ---- listings

    @Test
    void shouldListV2WithPrefixDelimiterStartAfterAndOwner()
    {
        final String bucket = S3.newBucket();
        putKeys(bucket, "a/1", "a/2", "a/b/3", "b/4", "c", "d");

        final ListObjectsV2Response prefixed = S3.client().listObjectsV2(b -> b.bucket(bucket).prefix("a/"));
        final ListObjectsV2Response rolled = S3.client().listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        final ListObjectsV2Response after = S3.client().listObjectsV2(b -> b.bucket(bucket).startAfter("a/b/3"));
        final ListObjectsV2Response owned = S3.client()
            .listObjectsV2(b -> b.bucket(bucket).prefix("c").fetchOwner(true));

        assertEquals(List.of("a/1", "a/2", "a/b/3"), keys(prefixed.contents()));
        assertEquals(3, prefixed.keyCount());
        assertEquals(List.of("c", "d"), keys(rolled.contents()));
        assertEquals(List.of("a/", "b/"), rolled.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(4, rolled.keyCount());
        assertEquals(List.of("b/4", "c", "d"), keys(after.contents()));
        assertNull(prefixed.contents().getFirst().owner(), "no owner unless fetch-owner");
        assertNotNull(owned.contents().getFirst().owner());
        assertFalse(owned.contents().getFirst().owner().id().isEmpty());
        assertEquals("STANDARD", owned.contents().getFirst().storageClassAsString());
    }

    @Test
    void shouldListAwkwardKeysExactlyWithAndWithoutUrlEncoding()
    {
        final String bucket = S3.newBucket();
        final List<String> awkward = List.of("amp&lt<gt>\"q'", "ctl\u0001x", "cr\rlf\n", "plus+sign", "sp ace",
            "\u00fc/\u65e5\u672c");
        putKeys(bucket, awkward.toArray(String[]::new));

        final List<String> plain = keys(S3.client().listObjectsV2(b -> b.bucket(bucket)).contents());
        final List<String> encoded = keys(S3.client()
            .listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL)).contents());
        final List<String> v1 = S3.client().listObjects(b -> b.bucket(bucket).encodingType(EncodingType.URL))
            .contents().stream()
            .map(S3Object::key).toList();

        final List<String> sorted = awkward.stream().sorted(S3SdkSuiteTest::utf8Order).toList();
        assertEquals(sorted, plain);
        assertEquals(sorted, encoded);
        assertEquals(sorted, v1);
    }

    @Test
    void shouldPageListV2WithContinuationTokens()
    {
        final String bucket = S3.newBucket();
        final List<String> all = new ArrayList<>();
        for (int i = 0; i < 7; i++)
        {
            all.add("key-" + i);
        }
        putKeys(bucket, all.toArray(String[]::new));

        final List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do
        {
            final String current = token;
            final ListObjectsV2Response page = S3.client()
                .listObjectsV2(b -> b.bucket(bucket).maxKeys(2).continuationToken(current));
            assertTrue(page.contents().size() <= 2);
            assertEquals(page.contents().size(), page.keyCount());
            seen.addAll(keys(page.contents()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
            assertEquals(page.isTruncated(), null != token, "a truncated page carries a token");
            pages++;
        }
        while (null != token && pages < 10);

        assertEquals(all, seen);
        assertEquals(4, pages);
    }

    @Test
    void shouldPageListV1WithMarkers()
    {
        final String bucket = S3.newBucket();
        putKeys(bucket, "m1", "m2", "m3", "m4", "m5");

        final List<String> seen = new ArrayList<>();
        String marker = null;
        for (int pages = 0; pages < 10; pages++)
        {
            final String current = marker;
            final ListObjectsResponse page = S3.client().listObjects(b -> b.bucket(bucket).maxKeys(2).marker(current));
            final List<String> pageKeys = page.contents().stream().map(S3Object::key).toList();
            seen.addAll(pageKeys);
            assertNotNull(page.contents().getFirst().owner(), "v1 always names the owner");
            if (!page.isTruncated())
            {
                break;
            }
            marker = null != page.nextMarker() ? page.nextMarker() : pageKeys.getLast();
        }

        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), seen);
    }

    @Test
    void shouldListOneNullVersionPerKey()
    {
        final String bucket = S3.newBucket();
        putKeys(bucket, "v1", "v2");

        final ListObjectVersionsResponse versions = S3.client().listObjectVersions(b -> b.bucket(bucket));

        assertEquals(List.of("v1", "v2"), versions.versions().stream().map(v -> v.key()).toList());
        versions.versions().forEach(v ->
        {
            assertEquals("null", v.versionId());
            assertTrue(v.isLatest());
            assertEquals(2L, v.size());
        });
    }

    // ---- multipart

    @Test
    void shouldCompleteAMultipartUploadWithACopiedRangeAndS3sEtag()
    {
        final String bucket = S3.newBucket();
        final byte[] source = Payloads.random(2 * MIB, 99);
        S3.client().putObject(b -> b.bucket(bucket).key("source"), RequestBody.fromBytes(source));
        final byte[][] parts = {Payloads.random(5 * MIB, 1), Payloads.random(5 * MIB, 2), Payloads.random(5 * MIB, 3),
            Arrays.copyOfRange(source, 1000, 1000 + MIB + 17)};
        final S3Client s3 = S3.client();
        final String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("big")
            .contentType("application/x-big")).uploadId();

        final List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final int number = i + 1;
            final String etag = s3.uploadPart(b -> b.bucket(bucket).key("big").uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(parts[i])).eTag();
            assertEquals("\"" + Payloads.md5Hex(parts[i]) + "\"", etag);
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        final var copy = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("source")
            .copySourceRange("bytes=1000-" + (1000 + MIB + 16))
            .destinationBucket(bucket).destinationKey("big").uploadId(uploadId).partNumber(4));
        assertEquals("\"" + Payloads.md5Hex(parts[3]) + "\"", copy.copyPartResult().eTag());
        completed.add(CompletedPart.builder().partNumber(4).eTag(copy.copyPartResult().eTag()).build());

        final ListPartsResponse listed = s3.listParts(b -> b.bucket(bucket).key("big").uploadId(uploadId));
        assertEquals(List.of(1, 2, 3, 4), listed.parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(List.of((long)5 * MIB, (long)5 * MIB, (long)5 * MIB, (long)MIB + 17),
            listed.parts().stream().map(p -> p.size()).toList());
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
            .anyMatch(u -> u.uploadId().equals(uploadId)));

        final var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("big").uploadId(uploadId)
            .multipartUpload(m -> m.parts(completed)));

        final String expectedEtag = "\"" + Payloads.multipartEtag(parts) + "\"";
        assertTrue(done.eTag().endsWith("-4\""), done.eTag());
        assertEquals(expectedEtag, done.eTag());
        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("big"));
        assertArrayEquals(Payloads.concat(parts), got.asByteArray());
        assertEquals(expectedEtag, got.response().eTag());
        assertEquals("application/x-big", got.response().contentType());
        assertFalse(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
            .anyMatch(u -> u.uploadId().equals(uploadId)));
    }

    @Test
    void shouldPageListPartsAndListMultipartUploads()
    {
        final String bucket = S3.newBucket();
        final S3Client s3 = S3.client();
        final String first = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        final String second = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        final String third = s3.createMultipartUpload(b -> b.bucket(bucket).key("other/x")).uploadId();
        for (int number = 1; number <= 3; number++)
        {
            uploadPart(bucket, first, number, Payloads.random(1000 + number, number));
        }

        final ListPartsResponse page1 = s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(first).maxParts(2));
        final ListPartsResponse page2 = s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(first).maxParts(2)
            .partNumberMarker(page1.nextPartNumberMarker()));
        assertEquals(List.of(1, 2), page1.parts().stream().map(p -> p.partNumber()).toList());
        assertTrue(page1.isTruncated());
        assertEquals(2, page1.nextPartNumberMarker());
        assertEquals(List.of(3), page2.parts().stream().map(p -> p.partNumber()).toList());
        assertFalse(page2.isTruncated());
        assertEquals(1003L, page2.parts().getFirst().size());

        final List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        for (int pages = 0; pages < 10; pages++)
        {
            final String key = keyMarker;
            final String id = uploadIdMarker;
            final var page = s3.listMultipartUploads(
                b -> b.bucket(bucket).maxUploads(1).keyMarker(key).uploadIdMarker(id));
            assertTrue(page.uploads().size() <= 1);
            page.uploads().forEach(u -> seen.add(u.key() + " " + u.uploadId()));
            if (!page.isTruncated())
            {
                break;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
        assertEquals(List.of("mp " + first, "mp " + second, "other/x " + third), seen);
        final var rolledUp = s3.listMultipartUploads(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("other/"), rolledUp.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(2, rolledUp.uploads().size());
    }

    @Test
    void shouldRefuseBadCompletionsAndForgetAnAbortedUpload()
    {
        final String bucket = S3.newBucket();
        final S3Client s3 = S3.client();
        final String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        final byte[] large = Payloads.random(5 * MIB, 4);
        final byte[] small = Payloads.random(MIB, 5);
        // Parts 1 and 2 are big enough to be anywhere; 3 and 4 only last. Each completion below
        // breaks exactly one rule.
        final CompletedPart p1 = uploadPart(bucket, uploadId, 1, large);
        final CompletedPart p2 = uploadPart(bucket, uploadId, 2, large);
        final CompletedPart p3 = uploadPart(bucket, uploadId, 3, small);
        final CompletedPart p4 = uploadPart(bucket, uploadId, 4, small);

        assertS3Error(400, "InvalidPartOrder", () -> complete(bucket, "mp", uploadId, p2, p1));
        assertS3Error(400, "InvalidPart", () -> complete(bucket, "mp", uploadId, p1,
            CompletedPart.builder().partNumber(2).eTag("\"" + Payloads.md5Hex(new byte[1]) + "\"").build()));
        assertS3Error(400, "InvalidPart", () -> complete(bucket, "mp", uploadId, p1,
            CompletedPart.builder().partNumber(9).eTag(p2.eTag()).build()));
        assertS3Error(400, "EntityTooSmall", () -> complete(bucket, "mp", uploadId, p3, p4));
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")));

        s3.abortMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId));
        assertS3Error(404, "NoSuchUpload", () -> s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(uploadId)));
        assertS3Error(404, "NoSuchUpload", () -> uploadPart(bucket, uploadId, 5, small));
        assertS3Error(404, "NoSuchUpload", () -> complete(bucket, "mp", uploadId, p1));
    }

    @Test
    void shouldTakeA40MiBMultipartUploadFromTheCrtAsyncClient(@TempDir final Path dir) throws IOException
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(40 * MIB, 40);
        final Path file = Files.write(dir.resolve("forty"), data);
        try (S3AsyncClient crt = S3AsyncClient.crtBuilder()
            .endpointOverride(S3.endpoint())
            .forcePathStyle(true)
            .region(Region.of(S3ServerFixture.REGION))
            .credentialsProvider(S3ServerFixture.credentials())
            .minimumPartSizeInBytes((long)(8 * MIB))
            .thresholdInBytes((long)(8 * MIB))
            .build())
        {
            crt.putObject(b -> b.bucket(bucket).key("forty"), file).join();
        }

        final ResponseBytes<GetObjectResponse> got = S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("forty"));
        assertArrayEquals(data, got.asByteArray());
        assertTrue(got.response().eTag().endsWith("-5\""), "uploaded as five 8 MiB parts: " + got.response().eTag());
    }

    // ---- presigned URLs

    @Test
    void shouldServePresignedPutAndGet() throws IOException, InterruptedException
    {
        final String bucket = S3.newBucket();
        final byte[] data = Payloads.random(70_000, 3);
        final PresignedPutObjectRequest put = S3.presigner().presignPutObject(
            p -> p.signatureDuration(Duration.ofMinutes(5)).putObjectRequest(b -> b.bucket(bucket).key("pre")));
        final PresignedGetObjectRequest get = S3.presigner().presignGetObject(
            p -> p.signatureDuration(Duration.ofMinutes(5)).getObjectRequest(b -> b.bucket(bucket).key("pre")));

        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build())
        {
            final HttpResponse<String> putResponse = http.send(HttpRequest.newBuilder(put.url().toURI())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, putResponse.statusCode(), putResponse.body());
            final HttpResponse<byte[]> getResponse = http.send(HttpRequest.newBuilder(get.url().toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, getResponse.statusCode());
            assertArrayEquals(data, getResponse.body());

            final String tampered = get.url().toString().replace("pre?", "pre-other?");
            final HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode());
            assertTrue(refused.body().contains("<Code>SignatureDoesNotMatch</Code>"), refused.body());
        }
        catch (final URISyntaxException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void shouldServeAnonymousReadsOnlyWhileTheBucketAclGrantsAllUsersRead() throws IOException, InterruptedException
    {
        final String bucket = S3.newBucket();
        S3.client().putObject(b -> b.bucket(bucket).key("pub"), RequestBody.fromString("public"));
        final HttpRequest anonymous = HttpRequest.newBuilder(URI.create(S3.endpoint() + "/" + bucket + "/pub")).GET()
            .build();

        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build())
        {
            assertEquals(403, http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode(),
                "private by default");

            S3.client().putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
            final GetBucketAclResponse acl = S3.client().getBucketAcl(b -> b.bucket(bucket));
            assertTrue(acl.grants().stream().anyMatch(g -> Permission.READ == g.permission() &&
                "http://acs.amazonaws.com/groups/global/AllUsers".equals(g.grantee().uri())), acl.grants().toString());
            assertTrue(acl.grants().stream().anyMatch(g -> Permission.FULL_CONTROL == g.permission() &&
                acl.owner().id().equals(g.grantee().id())), acl.grants().toString());
            final HttpResponse<String> served = http.send(anonymous, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode());
            assertEquals("public", served.body());

            // Back to private through an AccessControlPolicy body that grants only the owner.
            S3.client().putBucketAcl(b -> b.bucket(bucket).accessControlPolicy(p -> p.owner(acl.owner())
                .grants(Grant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id(acl.owner().id()))
                    .permission(Permission.FULL_CONTROL).build())));
            assertEquals(1, S3.client().getBucketAcl(b -> b.bucket(bucket)).grants().size());
            assertEquals(403, http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    // ---- errors

    @Test
    void shouldAnswerS3ErrorCodesWithTheirStatus()
    {
        final String bucket = S3.newBucket();
        final String longKey = "k".repeat(1025);

        assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("absent")));
        assertS3Error(404, "NoSuchBucket",
            () -> S3.client().getObjectAsBytes(b -> b.bucket("no-such-bucket-here").key("k")));
        assertS3Error(404, "NoSuchBucket", () -> S3.client().putObject(b -> b.bucket("no-such-bucket-here").key("k"),
            RequestBody.fromString("x")));
        assertS3Error(400, "KeyTooLongError",
            () -> S3.client().putObject(b -> b.bucket(bucket).key(longKey), RequestBody.fromString("x")));
        try (S3Client wrongSecret = S3.newClient(S3ServerFixture.ACCESS_KEY, "not-the-secret");
            S3Client unknownKey = S3.newClient("AKIAUNKNOWNUNKNOWN00", S3ServerFixture.SECRET_KEY))
        {
            assertS3Error(403, "SignatureDoesNotMatch", () -> wrongSecret.listObjectsV2(b -> b.bucket(bucket)));
            assertS3Error(403, "SignatureDoesNotMatch", () -> wrongSecret.putObject(b -> b.bucket(bucket).key("w"),
                RequestBody.fromString("x")));
            assertS3Error(403, "InvalidAccessKeyId", () -> unknownKey.listBuckets());
        }
        assertS3Error(404, "NoSuchKey", () -> S3.client().getObjectAsBytes(b -> b.bucket(bucket).key("w")));
    }

    // ---- helpers

    private static void assertRange(
        final String bucket,
        final String range,
        final byte[] data,
        final int from,
        final int to)
    {
        final ResponseBytes<GetObjectResponse> got = S3.client()
            .getObjectAsBytes(b -> b.bucket(bucket).key("r").range(range));

        assertEquals(206, got.response().sdkHttpResponse().statusCode(), range);
        assertArrayEquals(Arrays.copyOfRange(data, from, to), got.asByteArray(), range);
        assertEquals("bytes " + from + "-" + (to - 1) + "/" + data.length, got.response().contentRange(), range);
        assertEquals(to - from, got.response().contentLength(), range);
    }

    private static void assertGetStatus(
        final int status,
        final String bucket,
        final UnaryOperator<GetObjectRequest.Builder> conditions)
    {
        if (status == 200)
        {
            final ResponseBytes<GetObjectResponse> got = S3.client()
                .getObjectAsBytes(b -> conditions.apply(b.bucket(bucket).key("c")));
            assertEquals(200, got.response().sdkHttpResponse().statusCode());
            assertEquals("conditional", got.asUtf8String());
        }
        else
        {
            assertS3Error(status, 412 == status ? "PreconditionFailed" : null,
                () -> S3.client().getObjectAsBytes(b -> conditions.apply(b.bucket(bucket).key("c"))));
        }
    }

    /** Checks status and, where S3 sends a body (not for HEAD or 304), the error code. */
    private static S3Exception assertS3Error(final int status, final String code, final Executable call)
    {
        final S3Exception thrown = assertThrows(S3Exception.class, call);
        assertEquals(status, thrown.statusCode(), thrown.toString());
        if (null != code)
        {
            assertEquals(code, thrown.awsErrorDetails().errorCode(), thrown.toString());
        }
        return thrown;
    }

    private static CompletedPart uploadPart(
        final String bucket,
        final String uploadId,
        final int number,
        final byte[] data)
    {
        final String etag = S3.client().uploadPart(
            b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(number), RequestBody.fromBytes(data)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private static void complete(
        final String bucket,
        final String key,
        final String uploadId,
        final CompletedPart... parts)
    {
        S3.client().completeMultipartUpload(
            b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    private static void assertObject(
        final String bucket,
        final String key,
        final byte[] data,
        final String contentType,
        final Map<String, String> metadata)
    {
        final ResponseBytes<GetObjectResponse> got = S3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key));
        assertArrayEquals(data, got.asByteArray(), key);
        assertEquals(contentType, got.response().contentType(), key);
        assertEquals(metadata, got.response().metadata(), key);
    }

    private static Map<String, String> tags(final String bucket, final String key)
    {
        return S3.client().getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
            .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a, TreeMap::new));
    }

    private static void putKeys(final String bucket, final String... keys)
    {
        for (final String key : keys)
        {
            final String body = key.substring(0, Math.min(2, key.length()));
            S3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
        }
    }

    private static int utf8Order(final String a, final String b)
    {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(final List<S3Object> objects)
    {
        return objects.stream().map(S3Object::key).toList();
    }

    private static String checksumOf(
        final String algorithm,
        final String crc32,
        final String crc32c,
        final String crc64,
        final String sha1,
        final String sha256)
    {
        return switch (algorithm)
        {
            case "CRC32" -> crc32;
            case "CRC32C" -> crc32c;
            case "CRC64NVME" -> crc64;
            case "SHA1" -> sha1;
            case "SHA256" -> sha256;
            default -> throw new IllegalArgumentException(algorithm);
        };
    }
}
