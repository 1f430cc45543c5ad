package dev.conduit.objecttier.tier;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Per-key striped locks between writers and eviction: a PUT into a tiered bucket holds its stripe
 * shared from before its body until after its tier record, eviction holds it exclusively while it
 * checks a version and deletes it, so eviction can never delete a write it did not see.
 */
final class TierLocks
{
    private static final int STRIPES = 256;

    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];

    TierLocks()
    {
        for (int i = 0; i < STRIPES; i++)
        {
            stripes[i] = new ReentrantReadWriteLock();
        }
    }

    ReentrantReadWriteLock of(final String bucket, final String key)
    {
        return stripes[Math.floorMod(31 * bucket.hashCode() + key.hashCode(), STRIPES)];
    }
}
