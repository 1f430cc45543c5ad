package dev.conduit.objecttier.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.StoreCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * PutObject as the AWS SDK sends it by default (aws-chunked, its CRC in the trailer) against a
 * server of its own, so that every store commit seen is this test's: the trailer checksum is stored
 * by the PUT's one commit, never by a second metadata-only write.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpObjectWritesTest
{
    @Test
    void shouldStoreTheTrailerChecksumInTheOneCommitOfAnSdkPut() throws IOException
    {
        final List<String> trailers = new CopyOnWriteArrayList<>();
        final ExecutionInterceptor recordTrailer = new ExecutionInterceptor()
        {
            @Override
            public void beforeTransmission(final Context.BeforeTransmission context, final ExecutionAttributes attributes)
            {
                context.httpRequest().firstMatchingHeader("x-amz-trailer").ifPresent(trailers::add);
            }
        };
        try (HttpTestServer fixture = HttpTestServer.start();
            S3Client s3 = fixture.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(recordTrailer)).build())
        {
            s3.createBucket(b -> b.bucket("writes"));
            s3.putObject(b -> b.bucket("writes").key("before"), RequestBody.fromBytes(new byte[] {1}));
            final long versionBefore = fixture.buckets.head("writes", "before").orElseThrow().record().version();
            final long journalRecordsBefore = fixture.store.store().counter(StoreCounter.JOURNAL_RECORDS);
            trailers.clear();

            final byte[] body = GeneratedBytes.bytes(5, 0, 300_000);
            final PutObjectResponse put = s3.putObject(b -> b.bucket("writes").key("k"), RequestBody.fromBytes(body));

            assertEquals(List.of("x-amz-checksum-crc32"), trailers, "the SDK sent its checksum in the trailer");
            assertNotNull(put.checksumCRC32());
            assertEquals(versionBefore + 1, fixture.buckets.head("writes", "k").orElseThrow().record().version(),
                "exactly one new store version");
            assertEquals(journalRecordsBefore + 1, fixture.store.store().counter(StoreCounter.JOURNAL_RECORDS),
                "exactly one journal record");
            assertEquals(Map.of("CRC32", put.checksumCRC32()),
                fixture.buckets.head("writes", "k").orElseThrow().metadata().checksums());

            final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("writes").key("k")
                .checksumMode(ChecksumMode.ENABLED));
            assertArrayEquals(body, got.asByteArray());
            assertEquals(put.checksumCRC32(), got.response().checksumCRC32());
        }
    }
}
