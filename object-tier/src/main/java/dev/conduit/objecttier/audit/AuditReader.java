package dev.conduit.objecttier.audit;

import java.util.Optional;
import java.util.function.Consumer;

import dev.conduit.blocklayout.ListRequest;
import dev.conduit.blocklayout.ObjectStore;

/**
 * Reads the audit log back from the store, batch by batch in chain order, and finds its last batch
 * without listing them all.
 */
public final class AuditReader
{
    private final ObjectStore store;

    /**
     * @param store the store holding the log.
     */
    public AuditReader(final ObjectStore store)
    {
        this.store = store;
    }

    /**
     * @param visitor called with every batch, in key (and so chain) order.
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} when a batch cannot be decoded.
     */
    public void forEachBatch(final Consumer<AuditBatch> visitor)
    {
        store.forEach(AuditKeys.PREFIX, record -> visitor.accept(read(record.key())));
    }

    /**
     * @param visitor called with every entry in stored order.
     */
    public void forEachEntry(final Consumer<AuditEntry> visitor)
    {
        forEachBatch(batch -> batch.entries().forEach(visitor));
    }

    /**
     * The batch with the highest first sequence number, found by bisecting the key space (each probe
     * is one in-memory catalog lookup), so opening a long log costs ~60 probes, not a full listing.
     *
     * @return the last batch, or empty for an empty log.
     */
    public Optional<AuditBatch> lastBatch()
    {
        if (!anyBatchAfter(-1))
        {
            return Optional.empty();
        }
        // Invariant: some batch starts after lo; none starts after hi.
        long lo = -1;
        long hi = Long.MAX_VALUE / 2;
        while (hi - lo > 1)
        {
            final long mid = lo + (hi - lo) / 2;
            if (anyBatchAfter(mid))
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return Optional.of(read(AuditKeys.batch(hi)));
    }

    private boolean anyBatchAfter(final long seq)
    {
        final ListRequest probe = seq < 0 ? ListRequest.of(AuditKeys.PREFIX, 1)
            : ListRequest.of(AuditKeys.PREFIX, 1).after(AuditKeys.batch(seq));
        return !store.list(probe).objects().isEmpty();
    }

    private AuditBatch read(final String storeKey)
    {
        return new AuditBatch(storeKey, AuditCodec.decode(storeKey, store.getBytes(storeKey)));
    }
}
