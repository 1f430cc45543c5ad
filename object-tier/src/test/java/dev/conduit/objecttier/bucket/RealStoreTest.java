package dev.conduit.objecttier.bucket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the bucket tests that each want a fresh, empty store per test: opens a
 * {@link TestBuckets} of the given capacity before every test (creating the named buckets, if
 * any) and deletes it after, so no test sees another's objects.
 */
abstract class RealStoreTest
{
    private final long totalBytes;
    private final String[] initialBuckets;

    /** The store of the running test. */
    TestBuckets t;
    /** {@code t.buckets()}, the object under test. */
    BucketStore buckets;

    /**
     * @param totalBytes     data capacity of each test's store.
     * @param initialBuckets buckets every test starts with.
     */
    RealStoreTest(final long totalBytes, final String... initialBuckets)
    {
        this.totalBytes = totalBytes;
        this.initialBuckets = initialBuckets.clone();
    }

    @BeforeEach
    final void openStore()
    {
        t = TestBuckets.create(totalBytes);
        buckets = t.buckets();
        for (final String bucket : initialBuckets)
        {
            buckets.createBucket(bucket);
        }
    }

    @AfterEach
    final void closeStore()
    {
        t.close();
    }
}
