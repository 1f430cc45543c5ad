package dev.conduit.blocklayout;

import java.util.List;
import java.util.function.LongSupplier;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The data half of a put, shared by every {@link PutSession} of a store: opens sessions, allocates
 * their space (draining the reclaimer once when the store looks full, since replaced versions may
 * just have lost their last reader), and hands finished records to the commit pipeline. Nothing is
 * flushed or published here; {@link CommitPipeline} does both.
 *
 * <p>Threading: any number of concurrent sessions; the allocator and reclaimer are synchronized.
 */
final class ObjectWriter
{
    /** Staging buffer per put: large enough for full-bandwidth O_DIRECT writes. */
    static final int STAGING_BYTES = 1 << 20;
    /** Most chunks (and CRCs) per object; the chunk size doubles beyond that. */
    static final int MAX_CHUNKS = 1 << 16;
    /** Staging buffers the store keeps for reuse: puts in flight at once before one needs an arena of its own. */
    static final int POOLED_STAGING_BUFFERS = 64;

    /** Publishes a written record: flushes its data, journals it, applies it to the catalog. */
    @FunctionalInterface
    interface Committer
    {
        /**
         * @param record encoded record (its version is stamped at commit).
         * @param layout    the space it owns; freed by the committer when the record is not published.
         * @param condition what must hold of the key's current version for the record to publish.
         * @param parts     for the copy of a compose, the parts removed in the same batch; else null.
         * @param mode      what the write does with the key's earlier versions.
         * @param note      for the store's {@link CommitCompanion}, or a {@link CommitRider}, or null.
         * @param draft     the record before stamping, handed to the companion and the rider with {@code note}.
         * @param data      the record's data not yet written, issued by the commit before its journal batch; done when this returns.
         * @return the version assigned.
         */
        long commit(byte[] record, ObjectLayout layout, CommitCondition condition, ComposedParts parts, VersioningMode mode, Object note,
            ObjectRecord draft, BatchWrites data);
    }

    final List<Namespace> namespaces;
    final Allocator allocator;
    final StoreGeometry geometry;
    final StoreCounters counters;
    final LongSupplier clockMs;
    final Committer committer;
    final StagingPool staging;
    private final Reclaimer reclaimer;

    ObjectWriter(
        final List<Namespace> namespaces,
        final Allocator allocator,
        final Reclaimer reclaimer,
        final StoreGeometry geometry,
        final StoreCounters counters,
        final LongSupplier clockMs,
        final Committer committer,
        final StagingPool staging)
    {
        this.namespaces = namespaces;
        this.allocator = allocator;
        this.reclaimer = reclaimer;
        this.geometry = geometry;
        this.counters = counters;
        this.clockMs = clockMs;
        this.committer = committer;
        this.staging = staging;
    }

    /**
     * @param key               the key (validated here).
     * @param meta              content type and user metadata.
     * @param declaredSizeBytes the exact size when known, else {@link PutSession#UNKNOWN_SIZE}.
     * @return an open session.
     */
    PutSession open(final String key, final ObjectMetadata meta, final long declaredSizeBytes)
    {
        if (declaredSizeBytes < 0 && declaredSizeBytes != PutSession.UNKNOWN_SIZE)
        {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + declaredSizeBytes);
        }
        Keys.encode(key);
        return new PutSession(this, key, meta == null ? ObjectMetadata.NONE : meta, declaredSizeBytes);
    }

    /**
     * @param sizeBytes object size.
     * @return where to write it; the space is marked used.
     * @throws ConduitException {@code NO_SPACE}.
     */
    ObjectLayout allocate(final long sizeBytes)
    {
        try
        {
            return allocator.allocate(sizeBytes);
        }
        catch (final ConduitException e)
        {
            reclaimOrThrow(e);
            try
            {
                return allocator.allocate(sizeBytes);
            }
            catch (final ConduitException again)
            {
                throw noSpace(again);
            }
        }
    }

    /**
     * Grows a streaming layout to hold {@code logicalEndBytes}.
     *
     * @param layout          the session's layout.
     * @param logicalEndBytes bytes it must hold.
     * @throws ConduitException {@code NO_SPACE}.
     */
    void ensure(final StreamingLayout layout, final long logicalEndBytes)
    {
        try
        {
            layout.ensure(logicalEndBytes);
        }
        catch (final ConduitException e)
        {
            reclaimOrThrow(e);
            try
            {
                layout.ensure(logicalEndBytes);
            }
            catch (final ConduitException again)
            {
                throw noSpace(again);
            }
        }
    }

    /**
     * @param sizeBytes object size.
     * @return log2 of the chunk size for an object of that size.
     */
    int chunkShift(final long sizeBytes)
    {
        int shift = Integer.numberOfTrailingZeros(geometry.chunkSizeBytes());
        while (((sizeBytes + (1L << shift) - 1) >>> shift) > MAX_CHUNKS)
        {
            shift++;
        }
        return shift;
    }

    private void reclaimOrThrow(final ConduitException e)
    {
        if (e.code() != ErrorCode.NO_SPACE)
        {
            throw e;
        }
        allocator.free(reclaimer.drain());
    }

    private ConduitException noSpace(final ConduitException e)
    {
        if (e.code() == ErrorCode.NO_SPACE)
        {
            counters.increment(StoreCounter.NO_SPACE_ERRORS);
        }
        return e;
    }
}
