package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.ListRequest;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.content;
import static dev.conduit.objecttier.bucket.TestBuckets.md5Hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One BucketStore called from several worker threads at once, as the HTTP layer calls it. */
@Timeout(120)
class BucketConcurrencyTest extends RealStoreTest
{
    private static final int THREADS = 4;

    BucketConcurrencyTest()
    {
        super(128L * MIB);
    }

    @Test
    void shouldServeConcurrentPutsReadsListsTagsAndDeletes() throws Exception
    {
        buckets.createBucket("shared");
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++)
            {
                final int worker = w;
                workers.add(pool.submit(() ->
                {
                    for (int i = 0; i < 15; i++)
                    {
                        final String key = "w" + worker + "/k" + (i % 4);
                        final byte[] body = content(worker * 1000L + i, 1000 + (i * 37_000) % 300_000);
                        final S3Object stored = t.put("shared", key, body, S3Metadata.EMPTY);
                        assertEquals(md5Hex(body), stored.etag());
                        assertArrayEquals(body, t.read("shared", key));
                        buckets.putTagging("shared", key, Map.of("i", Integer.toString(i)));
                        final ListResult mine = buckets.list("shared", new ListQuery("w" + worker + "/", "", "", 1000));
                        assertTrue(mine.objects().stream().anyMatch(o -> o.key().equals(key)));
                        if (i % 3 == 2)
                        {
                            assertTrue(buckets.delete("shared", key));
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> worker : workers)
            {
                worker.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        final ListResult all = buckets.list("shared", new ListQuery("", "/", "", 1000));
        assertEquals(List.of("w0/", "w1/", "w2/", "w3/"), all.commonPrefixes());
    }

    @Test
    void shouldNeverPublishIntoABucketWhileItIsDeleted() throws Exception
    {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicInteger busy = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        try
        {
            buckets.createBucket("churn");
            final List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++)
            {
                final int writer = w;
                writers.add(pool.submit(() ->
                {
                    for (int i = 0; !done.get(); i++)
                    {
                        busy.incrementAndGet();
                        try
                        {
                            if (paused.get())
                            {
                                Thread.onSpinWait();
                                continue;
                            }
                            if (i % 4 == 3)
                            {
                                buckets.createUpload("churn", "u" + writer, S3Metadata.EMPTY);
                            }
                            else
                            {
                                try (ObjectUpload upload = buckets.beginPut("churn", "k" + writer + "-" + i, S3Metadata.EMPTY, 10, false))
                                {
                                    upload.append(MemorySegment.ofArray(new byte[10]));
                                    upload.commit(10, null);
                                }
                            }
                            published.incrementAndGet();
                        }
                        catch (final S3Exception e)
                        {
                            assertEquals(S3Error.NoSuchBucket, e.error());
                            refused.incrementAndGet();
                        }
                        finally
                        {
                            busy.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int round = 0; round < 40; round++)
            {
                deleteWhateverIsThereAndTheBucket(paused, busy);
                awaitAnIncrease(refused);
                assertTrue(t.store().list(ListRequest.of(StoreKeys.objectPrefix("churn"), 1)).objects().isEmpty(),
                    "round " + round + ": an object was published into the deleted bucket");
                assertTrue(t.store().list(ListRequest.of(StoreKeys.uploadPrefix("churn"), 1)).objects().isEmpty(),
                    "round " + round + ": an upload was started in the deleted bucket");
                buckets.createBucket("churn");
                awaitAnIncrease(published);
            }
            done.set(true);
            for (final Future<?> writer : writers)
            {
                writer.get();
            }
        }
        finally
        {
            done.set(true);
            pool.shutdownNow();
        }
        assertTrue(published.get() > 0 && refused.get() > 0, "both outcomes happened: " + published + " published, " + refused + " refused");
    }

    /**
     * Lets the writers run into the deleted bucket (a refusal) or into the new one (a publish) before the next step, so
     * each round tests both sides.
     */
    private static void awaitAnIncrease(final AtomicInteger outcomes)
    {
        final int before = outcomes.get();
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (outcomes.get() == before && System.nanoTime() - deadlineNs < 0)
        {
            Thread.yield();
        }
    }

    /**
     * Empties the bucket with the writers paused (two writers publish faster than one thread deletes, so emptying it
     * under their load need never end), then deletes it with the writers running, which is the race under test. A
     * writer that publishes first makes the delete answer BucketNotEmpty; the attempts are bounded.
     */
    private void deleteWhateverIsThereAndTheBucket(final AtomicBoolean paused, final AtomicInteger busy)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            paused.set(true);
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (busy.get() > 0 && System.nanoTime() - deadlineNs < 0)
            {
                Thread.yield();
            }
            for (final S3Object object : buckets.list("churn", new ListQuery("", "", "", 1000)).objects())
            {
                buckets.delete("churn", object.key());
            }
            paused.set(false);
            try
            {
                buckets.deleteBucket("churn");
                return;
            }
            catch (final S3Exception e)
            {
                assertEquals(S3Error.BucketNotEmpty, e.error());
            }
        }
        throw new AssertionError("the bucket could not be deleted in 200 attempts");
    }
}
