package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static dev.conduit.objecttier.bucket.TestBuckets.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StoreErrors}: the store-code → S3-error table, and a real full store answering 503 and staying usable. */
@Timeout(60)
class BucketStoreErrorsTest
{
    @ParameterizedTest
    @CsvSource({
        "NOT_FOUND, NoSuchKey",
        "PRECONDITION_FAILED, PreconditionFailed",
        "ALREADY_EXISTS, PreconditionFailed",
        "DIGEST_MISMATCH, BadDigest",
        "SIZE_MISMATCH, IncompleteBody",
        "KEY_TOO_LONG, KeyTooLongError",
        "INVALID_KEY, InvalidArgument",
        "METADATA_TOO_LARGE, MetadataTooLarge",
        "NO_SPACE, ServiceUnavailable",
        "STORE_CLOSED, ServiceUnavailable",
        "STORE_FAILED, ServiceUnavailable",
        "TRY_AGAIN, SlowDown",
        "CORRUPT_EXTENT, InternalError",
        "IO_ERROR, InternalError",
        "INTERNAL_ERROR, InternalError"})
    void shouldMapEachStoreCodeToOneS3Error(final ErrorCode code, final S3Error expected)
    {
        final ConduitException cause = new ConduitException(code, "o/bucket/key: internal detail");
        final S3Exception mapped = StoreErrors.toS3(cause, "key");
        assertEquals(expected, mapped.error());
        assertEquals("key", mapped.resource());
        assertSame(cause, mapped.getCause(), "the store's detail stays available to the log");
        assertFalse(mapped.getMessage().contains("o/bucket/key"), "store keys never reach the client");
    }

    @Test
    void shouldAnswerServiceUnavailableWhenTheStoreIsFullAndStayUsable()
    {
        try (TestBuckets t = TestBuckets.create(24L * MIB))
        {
            final BucketStore buckets = t.buckets();
            buckets.createBucket("full");
            final S3Exception full = assertS3Error(S3Error.ServiceUnavailable,
                () -> buckets.beginPut("full", "huge", S3Metadata.EMPTY, 64L * MIB, false));
            assertTrue(full.getMessage().contains("full"), full.getMessage());

            final S3Exception streamed = assertS3Error(S3Error.ServiceUnavailable, () ->
            {
                try (ObjectUpload upload = buckets.beginPut("full", "streamed", S3Metadata.EMPTY, -1, false))
                {
                    final MemorySegment piece = MemorySegment.ofArray(content(1, MIB));
                    for (int i = 0; i < 64; i++)
                    {
                        upload.append(piece);
                    }
                    upload.commit(-1, null);
                }
            });
            assertEquals(ErrorCode.NO_SPACE, ((ConduitException)streamed.getCause()).code());

            final byte[] small = content(2, 4096);
            t.put("full", "small", small, S3Metadata.EMPTY);
            assertEquals(small.length, buckets.head("full", "small").orElseThrow().sizeBytes(), "the store still takes what fits");
        }
    }
}
