package dev.conduit.objecttier.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main S3 flows through the real AWS SDK v2 client (default checksums on, so PUTs arrive
 * aws-chunked with a CRC trailer) against a real server over a real store: what goes in comes back
 * byte for byte, with its headers, ranges and conditionals answered as S3 answers them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpObjectFlowTest
{
    private static final AtomicLong BUCKETS = new AtomicLong();
    private static HttpTestServer fixture;
    private static S3Client s3;

    @BeforeAll
    static void startServer() throws IOException
    {
        fixture = HttpTestServer.start();
        s3 = fixture.client();
    }

    @AfterAll
    static void stopServer() throws IOException
    {
        fixture.close();
    }

    private static String newBucket()
    {
        final String name = "flow-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    @Test
    void shouldPutGetHeadAndDeleteAnObject()
    {
        final String bucket = newBucket();
        final byte[] body = GeneratedBytes.bytes(1, 0, 100_000);
        final PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("dir/a b+c.bin"),
            RequestBody.fromBytes(body));
        assertTrue(put.eTag().startsWith("\"") && put.eTag().endsWith("\""), put.eTag());

        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/a b+c.bin"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(put.eTag(), got.response().eTag());
        assertEquals(100_000L, got.response().contentLength());

        final HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("dir/a b+c.bin"));
        assertEquals(100_000L, head.contentLength());
        assertEquals(put.eTag(), head.eTag());
        assertNotNull(head.lastModified());

        s3.deleteObject(b -> b.bucket(bucket).key("dir/a b+c.bin"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/a b+c.bin")));
    }

    @Test
    void shouldRoundTripMetadataHeadersExactly()
    {
        final String bucket = newBucket();
        s3.putObject(b -> b.bucket(bucket).key("meta")
                .contentType("text/x-conduit; charset=utf-8")
                .contentEncoding("identity")
                .cacheControl("max-age=60, private")
                .contentDisposition("attachment; filename=\"m.txt\"")
                .contentLanguage("en-GB")
                .expires(Instant.parse("2030-01-02T03:04:05Z"))
                .metadata(Map.of("owner", "Team Conduit", "x-y", "1 2 3"))
                .tagging("a=1&b=two"),
            RequestBody.fromString("hello"));
        final HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("meta"));
        assertEquals("text/x-conduit; charset=utf-8", head.contentType());
        assertEquals("identity", head.contentEncoding());
        assertEquals("max-age=60, private", head.cacheControl());
        assertEquals("attachment; filename=\"m.txt\"", head.contentDisposition());
        assertEquals("en-GB", head.contentLanguage());
        assertEquals(Instant.parse("2030-01-02T03:04:05Z"), head.expires());
        assertEquals(Map.of("owner", "Team Conduit", "x-y", "1 2 3"), head.metadata());

        final List<Tag> tags = s3.getObjectTagging(b -> b.bucket(bucket).key("meta")).tagSet();
        assertEquals(2, tags.size());
        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("meta").responseContentType("x/override"));
        assertEquals("x/override", got.response().contentType());
        assertEquals(2, got.response().tagCount());
    }

    @Test
    void shouldServeRangesAndRefuseUnsatisfiableOnes()
    {
        final String bucket = newBucket();
        final int size = 3 * (1 << 20) + 12_345;
        s3.putObject(b -> b.bucket(bucket).key("r"), RequestBody.fromBytes(GeneratedBytes.bytes(2, 0, size)));

        final ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=1000001-2100000"));
        assertArrayEquals(GeneratedBytes.bytes(2, 1_000_001, 1_100_000), middle.asByteArray());
        assertEquals("bytes 1000001-2100000/" + size, middle.response().contentRange());

        final ResponseBytes<GetObjectResponse> suffix = s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=-5000"));
        assertArrayEquals(GeneratedBytes.bytes(2, size - 5000, 5000), suffix.asByteArray());
        final ResponseBytes<GetObjectResponse> open = s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes="
            + (size - 10) + "-"));
        assertArrayEquals(GeneratedBytes.bytes(2, size - 10, 10), open.asByteArray());

        final S3Exception e = assertThrows(S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=" + size + "-")));
        assertEquals(416, e.statusCode());
        assertEquals("InvalidRange", e.awsErrorDetails().errorCode());
        assertEquals(List.of("bytes */" + size), e.awsErrorDetails().sdkHttpResponse().headers().get("Content-Range"));
    }

    @Test
    void shouldAnswerConditionalRequestsWithS3Precedence()
    {
        final String bucket = newBucket();
        final String etag = s3.putObject(b -> b.bucket(bucket).key("c"), RequestBody.fromString("conditional")).eTag();
        final Instant past = Instant.now().minusSeconds(3600);
        final Instant future = Instant.now().plusSeconds(3600);

        assertEquals(304, assertThrows(S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifNoneMatch(etag))).statusCode());
        assertEquals(304, assertThrows(S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifModifiedSince(future))).statusCode());
        assertEquals(412, assertThrows(S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch("\"0123\""))).statusCode());
        assertEquals(412, assertThrows(S3Exception.class,
            () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifUnmodifiedSince(past))).statusCode());
        // If-Match true wins over a failing If-Unmodified-Since; If-None-Match false wins over If-Modified-Since.
        assertEquals("conditional",
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch(etag).ifUnmodifiedSince(past)).asUtf8String());
        assertEquals("conditional",
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifNoneMatch("\"other\"").ifModifiedSince(future))
            .asUtf8String());

        // PUT If-None-Match: * refuses to overwrite.
        final S3Exception conflict = assertThrows(S3Exception.class,
            () -> s3.putObject(b -> b.bucket(bucket).key("c").ifNoneMatch("*"), RequestBody.fromString("again")));
        assertEquals(412, conflict.statusCode());
        s3.putObject(b -> b.bucket(bucket).key("new").ifNoneMatch("*"), RequestBody.fromString("first"));
    }

    @Test
    void shouldStreamA50MiBPutGeneratedOnTheFly() throws Exception
    {
        final String bucket = newBucket();
        final long size = 50L << 20;
        s3.putObject(b -> b.bucket(bucket).key("big"),
            RequestBody.fromContentProvider(() -> GeneratedBytes.stream(7, size), size, "application/octet-stream"));
        final MessageDigest digest = GeneratedBytes.newSha256();
        long received = 0;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key("big")))
        {
            final byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0)
            {
                digest.update(buffer, 0, n);
                received += n;
            }
        }
        assertEquals(size, received);
        assertArrayEquals(GeneratedBytes.sha256(7, size), digest.digest());
    }

    @Test
    void shouldCopyTagAndListObjects()
    {
        final String bucket = newBucket();
        for (final String key : List.of("a/1", "a/2", "b/1", "c"))
        {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket).destinationKey("d/copy"));
        assertEquals("c", s3.getObjectAsBytes(b -> b.bucket(bucket).key("d/copy")).asUtf8String());
        final String sourceEtag = s3.headObject(b -> b.bucket(bucket).key("c")).eTag();
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c")
            .destinationBucket(bucket).destinationKey("e").copySourceIfNoneMatch(sourceEtag))).statusCode());
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c")
            .destinationBucket(bucket).destinationKey("e").copySourceIfMatch("\"0000\""))).statusCode());

        final ListObjectsV2Response rolled = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("c"), rolled.contents().stream().map(S3Object::key).toList());
        assertEquals(3, rolled.commonPrefixes().size());

        final ListObjectsV2Response page1 = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(2));
        assertTrue(page1.isTruncated());
        final ListObjectsV2Response page2 = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(10).continuationToken(page1.nextContinuationToken()));
        assertEquals(List.of("b/1", "c", "d/copy"), page2.contents().stream().map(S3Object::key).toList());

        s3.putObjectTagging(b -> b.bucket(bucket).key("c").tagging(t -> t.tagSet(Tag.builder().key("k").value("v").build())));
        assertEquals("v", s3.getObjectTagging(b -> b.bucket(bucket).key("c")).tagSet().get(0).value());
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("a/1"), o -> o.key("a/2"),
            o -> o.key("missing"))));
        assertEquals(List.of("b/1", "c", "d/copy"),
            s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
    }

    @Test
    void shouldCompleteAMultipartUpload()
    {
        final String bucket = newBucket();
        final CreateMultipartUploadResponse created = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp"));
        final int partSize = 5 << 20;
        final UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(created.uploadId()).partNumber(1),
            RequestBody.fromBytes(GeneratedBytes.bytes(9, 0, partSize)));
        final UploadPartResponse p2 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(created.uploadId()).partNumber(2),
            RequestBody.fromBytes(GeneratedBytes.bytes(9, partSize, 1000)));
        assertEquals(2, s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(created.uploadId())).parts().size());
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(created.uploadId())
            .multipartUpload(CompletedMultipartUpload.builder().parts(
                CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build()).build()));
        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp"));
        assertArrayEquals(GeneratedBytes.bytes(9, 0, partSize + 1000), got.asByteArray());
        assertTrue(got.response().eTag().endsWith("-2\""), got.response().eTag());
    }

    @Test
    void shouldServePresignedGetAndPut() throws Exception
    {
        final String bucket = newBucket();
        final URI putUrl = fixture.presigner().presignPutObject(PutObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .putObjectRequest(b -> b.bucket(bucket).key("presigned"))
            .build()).url().toURI();
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> put = http.send(HttpRequest.newBuilder(putUrl)
            .PUT(HttpRequest.BodyPublishers.ofString("via presigned put")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        final URI getUrl = fixture.presigner().presignGetObject(GetObjectPresignRequest.builder()
            .signatureDuration(Duration.ofMinutes(5))
            .getObjectRequest(b -> b.bucket(bucket).key("presigned"))
            .build()).url().toURI();
        final HttpResponse<String> get = http.send(HttpRequest.newBuilder(getUrl).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode());
        assertEquals("via presigned put", get.body());
        assertTrue(get.headers().firstValue("x-amz-request-id").isPresent());
        assertEquals("Conduit", get.headers().firstValue("server").orElseThrow());

        // The same URL with a tampered key is refused.
        final URI tampered = URI.create(getUrl.toString().replace("/presigned?", "/presignee?"));
        final HttpResponse<String> denied = http.send(HttpRequest.newBuilder(tampered).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("<Code>SignatureDoesNotMatch</Code>"), denied.body());
    }

    @Test
    void shouldLetAnonymousReadOnlyPublicReadBuckets() throws Exception
    {
        final String bucket = newBucket();
        s3.putObject(b -> b.bucket(bucket).key("pub"), RequestBody.fromString("public bytes"));
        final HttpClient http = HttpClient.newHttpClient();
        final URI url = URI.create(fixture.endpoint() + "/" + bucket + "/pub");
        final HttpResponse<String> denied = http.send(HttpRequest.newBuilder(url).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("<Code>AccessDenied</Code>"), denied.body());

        s3.putBucketAcl(b -> b.bucket(bucket).acl("public-read"));
        final HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(url).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode());
        assertEquals("public bytes", allowed.body());
        final HttpResponse<String> write = http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, write.statusCode());
    }

    @Test
    void shouldAnswerUnknownSubResourcesWithNotImplemented()
    {
        final String bucket = newBucket();
        final S3Exception e = assertThrows(S3Exception.class, () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
        assertEquals(501, e.statusCode());
        assertEquals("NotImplemented", e.awsErrorDetails().errorCode());
        assertNotNull(e.requestId());
    }

    @Test
    void shouldCountPutsInMetrics() throws Exception
    {
        final String bucket = newBucket();
        final long before = fixture.server.metrics().requests(Operation.PutObject.ordinal(), 200);
        for (int i = 0; i < 3; i++)
        {
            final int n = i;
            s3.putObject(b -> b.bucket(bucket).key("m" + n), RequestBody.fromString("m"));
        }
        assertTrue(HttpTestServer.await(() -> fixture.server.metrics().requests(Operation.PutObject.ordinal(),
            200) == before + 3,
            Duration.ofSeconds(5)));
        assertTrue(fixture.accessLog.stream().anyMatch(line -> line.contains("\"operation\":\"PutObject\"")
            && line.contains("\"bucket\":\"" + bucket + "\"") && line.contains("\"status\":200")),
                fixture.accessLog.toString());
    }

    @Test
    void shouldWriteEachAccessLogLineWithOnlyItsOwnRequestsFields() throws Exception
    {
        // The line builder is reused per event loop: a short line after a long one must carry nothing of it.
        final String bucket = newBucket();
        final String longKey = "long/" + "k".repeat(600);
        s3.putObject(b -> b.bucket(bucket).key(longKey), RequestBody.fromString("long"));
        s3.putObject(b -> b.bucket(bucket).key("s"), RequestBody.fromString("s"));
        for (int i = 0; i < 3; i++)
        {
            s3.getObjectAsBytes(b -> b.bucket(bucket).key(longKey));
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("s"));
        }
        assertTrue(HttpTestServer.await(() -> fixture.accessLog.stream()
            .filter(line -> line.contains("\"bucket\":\"" + bucket + "\"") && line.contains("\"operation\":\"GetObject\""))
            .count() == 6, Duration.ofSeconds(5)), fixture.accessLog.toString());
        for (final String line : fixture.accessLog)
        {
            if (line.contains("\"bucket\":\"" + bucket + "\"") && line.contains("\"key\":\"s\""))
            {
                assertTrue(line.startsWith("{\"time\":\"") && line.endsWith("}") && line.indexOf("\"time\"", 2) < 0
                    && !line.contains("kkkk") && line.length() < 400, line);
            }
        }
    }
}
