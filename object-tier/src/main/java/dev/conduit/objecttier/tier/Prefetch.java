package dev.conduit.objecttier.tier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Warms a dataset: lists the cold objects under a prefix and fetches every one that is not local,
 * {@code parallel} objects at a time, each through the same single-flight fill a GET miss uses
 * (so a prefetch and a concurrent GET never fetch twice, and each object lands whole or not at all).
 * Folder markers (keys ending in {@code /}) are skipped.
 */
public final class Prefetch
{
    private Prefetch()
    {
    }

    static Result run(final Tiering tiering, final String bucket, final String prefix, final int parallel,
        final ProgressListener progress) throws InterruptedException
    {
        final ColdClient cold = tiering.cold(bucket);
        if (cold == null || !cold.binding().policy().readThrough())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "bucket " + bucket + " has no read-through cold tier");
        }
        final long startNs = System.nanoTime();
        final List<ColdObject> listed = new ArrayList<>();
        cold.list(prefix, object ->
        {
            if (!object.isFolderMarker())
            {
                listed.add(object);
            }
        });
        final long totalBytes = listed.stream().mapToLong(ColdObject::sizeBytes).sum();
        final AtomicLong doneBytes = new AtomicLong();
        final AtomicLong fetched = new AtomicLong();
        final AtomicLong fetchedBytes = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final Semaphore slots = new Semaphore(parallel);
        final List<Thread> threads = new ArrayList<>();
        for (final ColdObject object : listed)
        {
            slots.acquire();
            threads.add(Thread.ofVirtual().name("conduit-tier-prefetch").start(() ->
            {
                try
                {
                    if (tiering.local().find(bucket, object.key()).isPresent())
                    {
                        skipped.incrementAndGet();
                    }
                    else
                    {
                        tiering.fill(bucket, object.key(), -1, false).fill().awaitDone(Long.MAX_VALUE);
                        fetched.incrementAndGet();
                        fetchedBytes.addAndGet(object.sizeBytes());
                    }
                }
                catch (final ConduitException e)
                {
                    if (e.code() == ErrorCode.NOT_FOUND)
                    {
                        // Gone since the listing, or deleted here with its cold delete still pending: nothing to fetch.
                        skipped.incrementAndGet();
                        return;
                    }
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, object.key() + ": " + e.getMessage());
                }
                catch (final InterruptedException e)
                {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, object.key() + ": " + e.getMessage());
                }
                finally
                {
                    progress.onProgress(doneBytes.addAndGet(object.sizeBytes()), totalBytes);
                    slots.release();
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        return new Result(listed.size(), fetched.get(), fetchedBytes.get(), skipped.get(), failed.get(), firstFailure.get(),
            System.nanoTime() - startNs, totalBytes);
    }

    /**
     * What a prefetch did.
     *
     * @param listed        cold objects under the prefix.
     * @param fetched       objects fetched.
     * @param fetchedBytes  their bytes.
     * @param skipped       objects already local.
     * @param failed        objects that could not be fetched (after retries).
     * @param firstFailure  the first failure's message, or null.
     * @param elapsedNs     wall time, listing included.
     * @param listedBytes   bytes of the cold objects under the prefix (what a progress bar counts to).
     */
    public record Result(long listed, long fetched, long fetchedBytes, long skipped, long failed, String firstFailure, long elapsedNs,
        long listedBytes)
    {
        /** @return fetched GiB per second of wall time. */
        public double gibPerSecond()
        {
            return elapsedNs == 0 ? 0 : fetchedBytes / (double)(1L << 30) / (elapsedNs / 1e9);
        }
    }
}
