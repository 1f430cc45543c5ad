package dev.conduit.jmh.objecttier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.ObjectUpload;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * A store opened through the scheduler as {@code conduit serve} opens it, with one public-read
 * bucket holding one object of the benchmark's size. It lives under {@code -Dconduit.bench.dir=DIR}
 * (default {@code target/conduit-bench}), which must allow O_DIRECT (ext4, XFS; not tmpfs).
 */
final class BenchBuckets implements AutoCloseable
{
    /** Property naming the benchmark data directory (shared with the other benchmark packages). */
    static final String DIR_PROP_NAME = "conduit.bench.dir";
    /** Default benchmark data directory. */
    static final String DIR_DEFAULT = "target/conduit-bench";
    /** The bucket. */
    static final String BUCKET = "bench";
    /** The object's key. */
    static final String KEY = "object";

    private final Path dir;
    private final ScheduledStore store;
    private final BucketStore buckets;

    /**
     * @param name        sub-directory of the benchmark directory (emptied first).
     * @param objectBytes size of the object to put.
     */
    BenchBuckets(final String name, final int objectBytes)
    {
        dir = Path.of(System.getProperty(DIR_PROP_NAME, DIR_DEFAULT)).toAbsolutePath().resolve(name);
        delete(dir);
        DataDirectory.format(dir, 4L * objectBytes + (256L << 20), 1, FormatOptions.DEFAULT);
        store = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        buckets = new BucketStore(store);
        buckets.createBucket(BUCKET);
        buckets.setPublicRead(BUCKET, true);
        final byte[] content = new byte[objectBytes];
        new SplittableRandom(objectBytes).nextBytes(content);
        try (ObjectUpload upload = buckets.beginPut(BUCKET, KEY, S3Metadata.EMPTY, objectBytes, false))
        {
            upload.append(MemorySegment.ofArray(content));
            upload.commit(objectBytes, null);
        }
    }

    BucketStore buckets()
    {
        return buckets;
    }

    @Override
    public void close()
    {
        buckets.close();
        store.close();
        delete(dir);
    }

    private static void delete(final Path path)
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(path))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
