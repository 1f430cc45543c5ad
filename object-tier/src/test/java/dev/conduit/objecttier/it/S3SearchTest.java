package dev.conduit.objecttier.it;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata search extension ({@code x-conduit-where} on ListObjectsV2) as an AWS SDK v2 user
 * calls it: the condition goes in as a raw query parameter (signed like any other), the answer is
 * parsed by the SDK's own ListObjectsV2 model, and its paginator follows the continuation tokens.
 * Tag and metadata changes after the PUT (PutObjectTagging, CopyObject REPLACE, DELETE) show up in
 * the next search.
 */
@Timeout(120)
class S3SearchTest
{
    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture();

    private static String bucket;

    @BeforeAll
    static void objects()
    {
        bucket = S3.newBucket();
        put("ckpt/epoch-1.pt", Map.of("loss", "0.91"), "stage=draft");
        put("ckpt/epoch-2.pt", Map.of("loss", "0.42"), "stage=tested");
        put("ckpt/epoch-3.pt", Map.of("loss", "0.28", "model", "resnet50"), "stage=tested&owner=ana");
        put("ckpt/epoch-4.pt", Map.of("loss", "0.21", "model", "resnet101"), "stage=tested");
        put("data/shard-0.tar", Map.of("rows", "1000"), "stage=tested");
        put("notes.txt", Map.of(), "");
    }

    private static void put(final String key, final Map<String, String> metadata, final String tagging)
    {
        S3.client().putObject(b -> b.bucket(bucket).key(key).metadata(metadata).tagging(tagging),
            RequestBody.fromString(key));
    }

    private static List<String> search(final Consumer<ListObjectsV2Request.Builder> extra, final String... where)
    {
        return S3.client().listObjectsV2Paginator(b ->
            {
                b.bucket(bucket).maxKeys(2)
                    .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", List.of(where)));
                extra.accept(b);
            })
            .contents().stream().map(S3Object::key).toList();
    }

    @Test
    void shouldFindObjectsByTagAndNumericMetadataAcrossPages()
    {
        assertEquals(List.of("ckpt/epoch-3.pt", "ckpt/epoch-4.pt"),
            search(b -> { }, "tag.stage=tested", "meta.loss<0.3"));
        assertEquals(List.of("ckpt/epoch-2.pt", "ckpt/epoch-3.pt", "ckpt/epoch-4.pt", "data/shard-0.tar"),
            search(b -> { }, "tag.stage=tested"));
        assertEquals(List.of("ckpt/epoch-2.pt", "ckpt/epoch-3.pt", "ckpt/epoch-4.pt"),
            search(b -> b.prefix("ckpt/"), "tag.stage=tested"));
        assertEquals(List.of("ckpt/epoch-3.pt", "ckpt/epoch-4.pt"), search(b -> { }, "meta.model^=resnet"));
        assertEquals(List.of("ckpt/epoch-3.pt"), search(b -> { }, "tag.owner"));
        assertEquals(List.of("ckpt/epoch-1.pt"), search(b -> { }, "META.Loss>=0.9"));
    }

    @Test
    void shouldReturnSizesAndEtagsLikeAListing()
    {
        final List<S3Object> found = S3.client().listObjectsV2(b -> b.bucket(bucket)
            .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", "meta.rows=1000"))).contents();
        assertEquals(1, found.size());
        final S3Object listed = S3.client().listObjectsV2(b -> b.bucket(bucket).prefix("data/")).contents().getFirst();
        assertEquals(listed, found.getFirst());
    }

    @Test
    void shouldFollowTagAndMetadataChanges()
    {
        final String own = S3.newBucket();
        S3.client().putObject(b -> b.bucket(own).key("m").tagging("stage=draft"), RequestBody.fromString("x"));
        final List<String> none = S3.client().listObjectsV2(b -> b.bucket(own)
            .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", "tag.stage=tested")))
            .contents().stream().map(S3Object::key).toList();
        assertEquals(List.of(), none);
        S3.client().putObjectTagging(b -> b.bucket(own).key("m")
            .tagging(Tagging.builder().tagSet(Tag.builder().key("stage").value("tested").build()).build()));
        S3.client().copyObject(b -> b.sourceBucket(own).sourceKey("m").destinationBucket(own).destinationKey("n"));
        assertEquals(List.of("m", "n"), S3.client().listObjectsV2(b -> b.bucket(own)
            .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", "tag.stage=tested")))
            .contents().stream().map(S3Object::key).toList());
        S3.client().deleteObject(b -> b.bucket(own).key("m"));
        assertEquals(List.of("n"), S3.client().listObjectsV2(b -> b.bucket(own)
            .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", "tag.stage=tested")))
            .contents().stream().map(S3Object::key).toList());
    }

    @Test
    void shouldRefuseMalformedConditionsWithInvalidArgument()
    {
        final S3Client s3 = S3.client();
        for (final String bad : List.of("stage=tested", "meta.loss<low", "tag.=x", ""))
        {
            final S3Exception e = assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket(bucket)
                .overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", bad))), bad);
            assertEquals(400, e.statusCode(), bad);
            assertEquals("InvalidArgument", e.awsErrorDetails().errorCode(), bad);
        }
        final S3Exception withDelimiter = assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket(bucket)
            .delimiter("/").overrideConfiguration(o -> o.putRawQueryParameter("x-conduit-where", "tag.stage"))));
        assertTrue(withDelimiter.getMessage().contains("delimiter"), withDelimiter.getMessage());
    }
}
