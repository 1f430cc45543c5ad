package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreCounter;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.OpenObject;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write-back PUT makes its object and its {@code uploading} record durable in one journal batch
 * (one commit, one flush), and after a crash (an image of the data directory taken while the store
 * is open, never closed: what kill -9 leaves) every acknowledged object is there with the record
 * of exactly its version, so the rebuilt queue uploads what was acknowledged. The cold endpoint is
 * a port nobody listens on: uploads fail and stay journaled, and commit nothing meanwhile.
 */
@Timeout(120)
class WriteBackCommitTest
{
    private static final String BUCKET = "ckpt";

    private Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void format() throws IOException
    {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tier-crash")), "store");
        DataDirectory.format(dir.resolve("live"), 128L << 20, 1, FormatOptions.DEFAULT);
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test-secret");
    }

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable c : open.reversed())
        {
            c.close();
        }
    }

    @Test
    void shouldJournalEachPutWithItsUploadRecordInOneBatchAndKeepBothAfterACrash() throws Exception
    {
        final BucketStore buckets = openBuckets(dir.resolve("live"));
        final Tiering tiering = track(Tiering.open(buckets, TierSettings.defaults().withRetries(0, Duration.ofSeconds(1))));
        buckets.createBucket(BUCKET);
        tiering.attach(new TierBinding(BUCKET, new ColdLocation("cold", "p"), URI.create("http://127.0.0.1:" + deadPort()), "us-east-1",
            "", TierPolicy.WRITE_BACK, 1.0, List.of()));
        final Map<String, byte[]> acknowledged = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++)
        {
            final String key = "step-" + (i % 6);
            final byte[] bytes = bytes(i % 2 == 0 ? 64 << 10 : 3000, i);
            final long batches = buckets.store().store().counter(StoreCounter.JOURNAL_BATCHES);
            put(tiering, buckets, key, bytes);
            assertEquals(batches + 1, buckets.store().store().counter(StoreCounter.JOURNAL_BATCHES),
                "one journal batch for " + key + " and its upload record");
            acknowledged.put(key, bytes);
        }
        assertEquals(6, tiering.backlogObjects(), "two overwrites kept their keys' places");
        final Path image = crashImage(dir.resolve("live"), dir.resolve("image"));
        final BucketStore recovered = openBuckets(image);
        final Tiering resumed = track(Tiering.open(recovered, TierSettings.defaults()));
        assertEquals(acknowledged.size(), resumed.backlogObjects(), "every acknowledged object is queued after the crash");
        for (final Map.Entry<String, byte[]> e : acknowledged.entrySet())
        {
            final S3Object object = recovered.head(BUCKET, e.getKey()).orElseThrow();
            final TierRecord record = resumed.record(BUCKET, e.getKey()).orElseThrow();
            assertEquals(TierState.UPLOADING, record.state(), e.getKey());
            assertEquals(object.record().version(), record.localVersion(), "the record names the acknowledged version of " + e.getKey());
            assertEquals(e.getValue().length, record.sizeBytes());
            try (OpenObject read = recovered.open(BUCKET, e.getKey()))
            {
                assertArrayEquals(e.getValue(), read.handle().readAllBytes(), e.getKey());
            }
        }
    }

    /** A PUT as the S3 handler makes it: tier lock and back-pressure, the body, one commit carrying the upload record. */
    private static void put(final Tiering tiering, final BucketStore buckets, final String key, final byte[] bytes) throws InterruptedException
    {
        try (TierWrite tier = tiering.beginWrite(BUCKET, key);
            ObjectUpload upload = buckets.beginPut(BUCKET, key, S3Metadata.EMPTY, bytes.length, false))
        {
            upload.append(MemorySegment.ofArray(bytes));
            tier.committed(upload.commit(bytes.length, null, Map.of(), tier.withUploadRecord(null)));
        }
    }

    private BucketStore openBuckets(final Path data)
    {
        final ScheduledStore store = track(ScheduledStore.open(data, StoreOptions.DEFAULT, Priority.LATENCY));
        return track(new BucketStore(store));
    }

    /** Copies the data directory of a store that stays open: every acknowledged write was flushed, nothing was closed. */
    private static Path crashImage(final Path live, final Path image) throws IOException
    {
        Files.createDirectories(image);
        try (Stream<Path> files = Files.list(live))
        {
            for (final Path f : files.toList())
            {
                if (!f.getFileName().toString().equals(".lock"))
                {
                    Files.copy(f, image.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return image;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        open.add(closeable);
        return closeable;
    }

    private static int deadPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static byte[] bytes(final int length, final long seed)
    {
        final byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
