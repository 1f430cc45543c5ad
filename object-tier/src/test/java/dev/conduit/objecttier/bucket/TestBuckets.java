package dev.conduit.objecttier.bucket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A real store on real files for the bucket tests: a data directory under {@code target/} (not
 * {@code /tmp}, which may be tmpfs and refuse O_DIRECT), formatted, opened through the scheduler as
 * the server opens it, with a {@link BucketStore} on top; closing deletes it. Plus the few helpers
 * every bucket test needs (deterministic content, a whole put, a whole read, an expected S3 error).
 */
final class TestBuckets implements AutoCloseable
{
    static final int MIB = 1 << 20;

    private final Path dir;
    private ScheduledStore scheduled;
    private BucketStore buckets;

    private TestBuckets(final Path dir)
    {
        this.dir = dir;
        open();
    }

    /**
     * @param totalBytes data capacity of the store (one namespace file).
     * @return a fresh, empty store.
     */
    static TestBuckets create(final long totalBytes)
    {
        try
        {
            final Path base = Files.createDirectories(Path.of("target", "bucket-tests"));
            final Path dir = Files.createTempDirectory(base, "store");
            DataDirectory.format(dir, totalBytes, 1, FormatOptions.DEFAULT);
            return new TestBuckets(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    BucketStore buckets()
    {
        return buckets;
    }

    ObjectStore store()
    {
        return scheduled.store();
    }

    /** @return bytes in use in the store right now. */
    long usedBytes()
    {
        return store().space().usedBytes();
    }

    /** Closes the store as the server does at shutdown and opens it again from its files. */
    void reopen()
    {
        closeStore();
        open();
    }

    @Override
    public void close()
    {
        closeStore();
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** PutObject of a whole byte array. */
    S3Object put(final String bucket, final String key, final byte[] content, final S3Metadata metadata)
    {
        try (ObjectUpload upload = buckets.beginPut(bucket, key, metadata, content.length, false))
        {
            upload.append(MemorySegment.ofArray(content));
            return upload.commit(content.length, null);
        }
    }

    /** UploadPart of a whole byte array. */
    S3Object putPart(final String bucket, final String key, final String uploadId, final int partNumber, final byte[] content)
    {
        try (ObjectUpload upload = buckets.beginPart(bucket, key, uploadId, partNumber, content.length))
        {
            upload.append(MemorySegment.ofArray(content));
            return upload.commit(content.length, null);
        }
    }

    /** GetObject of the whole object, verified by the store. */
    byte[] read(final String bucket, final String key)
    {
        try (OpenObject object = buckets.open(bucket, key))
        {
            return object.handle().readAllBytes();
        }
    }

    static byte[] content(final long seed, final int sizeBytes)
    {
        final byte[] bytes = new byte[sizeBytes];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] md5(final byte[]... pieces)
    {
        try
        {
            final MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (final byte[] piece : pieces)
            {
                md5.update(piece);
            }
            return md5.digest();
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }

    static String md5Hex(final byte[]... pieces)
    {
        return HexFormat.of().formatHex(md5(pieces));
    }

    /** Runs {@code call} and checks that it fails with exactly {@code error}. */
    static S3Exception assertS3Error(final S3Error error, final Executable call)
    {
        final S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(error, e.error(), () -> "expected " + error + " but got " + e.error() + ": " + e.getMessage());
        return e;
    }

    private void open()
    {
        scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        buckets = new BucketStore(scheduled);
    }

    private void closeStore()
    {
        buckets.close();
        scheduled.close();
    }
}
