package dev.conduit.objecttier.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.conduit.objecttier.audit.AuditEntry;
import dev.conduit.objecttier.audit.AuditReader;
import dev.conduit.objecttier.audit.AuditVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log as the AWS SDK v2 drives it (default checksums): each mutating request has its
 * entry as soon as its response arrives (the server answers only once the entry is durable), with
 * the signer's access key, the operation, bucket, key, ETag and result; refused requests are
 * recorded with their error; reads are not recorded; the chain verifies.
 */
@Timeout(120)
class S3AuditTest
{
    @RegisterExtension
    static final S3ServerFixture S3 = new S3ServerFixture(true);

    private static List<AuditEntry> entries()
    {
        final List<AuditEntry> all = new ArrayList<>();
        new AuditReader(S3.store().store()).forEachEntry(all::add);
        return all;
    }

    private static AuditEntry entryOf(final String requestId)
    {
        final Optional<AuditEntry> found = entries().stream().filter(e -> e.requestId().equals(requestId)).findFirst();
        assertTrue(found.isPresent(), "no audit entry for request " + requestId + " right after its response");
        return found.get();
    }

    @Test
    void shouldRecordEachAcknowledgedMutationBeforeItsResponse()
    {
        final S3Client s3 = S3.client();
        final String bucket = S3.newBucket();
        final PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("models/a.bin"),
            RequestBody.fromBytes(new byte[70_000]));
        final AuditEntry putEntry = entryOf(put.responseMetadata().requestId());
        assertEquals(S3ServerFixture.ACCESS_KEY, putEntry.accessKey());
        assertEquals("PutObject", putEntry.operation());
        assertEquals(bucket, putEntry.bucket());
        assertEquals("models/a.bin", putEntry.key());
        assertEquals(put.eTag(), putEntry.etag());
        assertEquals(200, putEntry.status());
        assertEquals("", putEntry.error());

        final CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("models/a.bin")
            .destinationBucket(bucket).destinationKey("models/b.bin"));
        final AuditEntry copyEntry = entryOf(copy.responseMetadata().requestId());
        assertEquals("CopyObject", copyEntry.operation());
        assertEquals("models/b.bin", copyEntry.key());

        final DeleteObjectResponse delete = s3.deleteObject(b -> b.bucket(bucket).key("models/a.bin"));
        final AuditEntry deleteEntry = entryOf(delete.responseMetadata().requestId());
        assertEquals("DeleteObject", deleteEntry.operation());
        assertEquals(204, deleteEntry.status());

        assertTrue(copyEntry.seq() > putEntry.seq() && deleteEntry.seq() > copyEntry.seq(), "entries in request order");
        assertTrue(AuditVerifier.verify(new AuditReader(S3.store().store())).intact());
    }

    @Test
    void shouldRecordTheVersionIdOfAVersionedWrite()
    {
        final S3Client s3 = S3.client();
        final String bucket = S3.newBucket();
        s3.putBucketVersioning(b -> b.bucket(bucket)
            .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        final PutObjectResponse first = s3.putObject(b -> b.bucket(bucket).key("ckpt"), RequestBody.fromString("v1"));
        final PutObjectResponse second = s3.putObject(b -> b.bucket(bucket).key("ckpt"), RequestBody.fromString("v2"));
        assertEquals(first.versionId(), entryOf(first.responseMetadata().requestId()).versionId());
        assertEquals(second.versionId(), entryOf(second.responseMetadata().requestId()).versionId());
        final DeleteObjectResponse removed = s3.deleteObject(b -> b.bucket(bucket).key("ckpt").versionId(first.versionId()));
        assertEquals(first.versionId(), entryOf(removed.responseMetadata().requestId()).versionId());
    }

    @Test
    void shouldRecordRefusedMutationsAndNotReads()
    {
        final S3Client s3 = S3.client();
        final String bucket = S3.newBucket();
        final S3Exception refused = assertThrows(S3Exception.class,
            () -> s3.putObject(b -> b.bucket("no-such-bucket-audit").key("k"), RequestBody.fromString("x")));
        final AuditEntry refusedEntry = entryOf(refused.requestId());
        assertEquals(404, refusedEntry.status());
        assertEquals("NoSuchBucket", refusedEntry.error());

        try (S3Client stranger = S3.newClient("AKIDUNKNOWN000000000", "not-the-secret-0123456789"))
        {
            final S3Exception denied = assertThrows(S3Exception.class,
                () -> stranger.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x")));
            final AuditEntry deniedEntry = entryOf(denied.requestId());
            assertEquals(403, deniedEntry.status());
            assertEquals("", deniedEntry.accessKey(), "an unverified key is not recorded as the signer");
        }

        s3.putObject(b -> b.bucket(bucket).key("read-me"), RequestBody.fromString("hello"));
        final long before = entries().size();
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("read-me"));
        s3.headObject(b -> b.bucket(bucket).key("read-me"));
        s3.listObjectsV2(b -> b.bucket(bucket));
        assertEquals(before, entries().size(), "reads are not audited");
    }
}
