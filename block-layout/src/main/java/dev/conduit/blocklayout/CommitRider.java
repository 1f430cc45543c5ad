package dev.conduit.blocklayout;

import java.util.Objects;
import java.util.function.Function;

/**
 * A 0-byte object published with a put, as the next record of the put's own journal batch: both
 * become durable with one data flush and one journal flush, or neither does (a batch is replayed
 * whole or not at all), so a crash can never leave the put without its rider or the rider without
 * its put. For a record kept about one write that must not cost a second commit in sequence (the
 * tier's upload record of a write-back PUT: {@code .tier/o/<bucket>/<key>}).
 *
 * <p>Passed as the {@code note} of {@link PutSession#commit(long, byte[], CommitCondition,
 * ObjectMetadata, Object)}; its own {@link #note} (or null) goes on to the store's
 * {@link CommitCompanion} as a note would. The rider replaces whatever its key holds (its space is
 * retired like an overwrite's), unconditionally; it publishes only if the put does (a put its
 * condition refuses journals neither). Conditional writes queued after it in the same batch see
 * it, as they see any earlier write of the batch.
 *
 * <pre>{@code
 * session.commit(size, md5, CommitCondition.NONE, null, new CommitRider(".tier/o/b/k",
 *     published -> new ObjectMetadata("", Map.of("v", Long.toString(published.version()))), null));
 * }</pre>
 *
 * @param key      the rider's key (a store key: not a key of a versioned bucket's objects).
 * @param metadata builds the rider's content type and user metadata from the put's record as
 *                 published (version and version id stamped). Called by the group-commit leader
 *                 while it builds the batch, so it must be quick and must not call into the
 *                 store; what it throws refuses the put (nothing of it is published).
 * @param note     for the store's commit companion, or null.
 */
public record CommitRider(String key, Function<ObjectRecord, ObjectMetadata> metadata, Object note)
{
    /** Validates the key (as a put of it would) and the function. */
    public CommitRider
    {
        Keys.encode(key);
        Objects.requireNonNull(metadata, "metadata");
    }
}
