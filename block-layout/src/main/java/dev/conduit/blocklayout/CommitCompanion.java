package dev.conduit.blocklayout;

import java.util.List;

/**
 * A record kept about writes that is published in the same journal batch as the writes it
 * describes (an audit log: one entry per write, with the version the write got). Writes carry an
 * opaque note ({@link PutSession#commit(long, byte[], CommitCondition, ObjectMetadata, Object)},
 * {@link ObjectStore#commitNotes(List)}); for each journal batch holding noted writes, the
 * group-commit leader asks the companion for one object describing them, after the batch's
 * versions are stamped and its conditions checked, and journals it with them. Both become
 * durable with one data flush and one journal flush, or neither does: no write is published
 * without its companion object, and none is acknowledged before it.
 *
 * <pre>{@code
 * store.attachCompanion(new CommitCompanion()
 * {
 *     public Companion seal(List<Noted> noted) { return new Companion(".log/" + next, encode(noted)); }
 *     public void settled(Companion c, RuntimeException failure) { if (failure == null) next++; }
 * });
 * }</pre>
 *
 * <p>Threading: both methods are called by whichever thread leads the group commit, one batch at
 * a time and in order: {@link #settled} for one companion always comes before the next
 * {@link #seal}. They must be quick (the batch waits) and must not call back into the store.
 */
public interface CommitCompanion
{
    /**
     * One noted write of a journal batch.
     *
     * @param note   what the write carried.
     * @param record the record it publishes (version and version id stamped), or null for a note
     *               committed on its own ({@link ObjectStore#commitNotes(List)}).
     */
    record Noted(Object note, ObjectRecord record)
    {
    }

    /**
     * The object published with a batch. Its key must not exist yet: a batch whose companion key
     * is taken fails (nothing of it is published).
     *
     * @param key     the object's key.
     * @param content the object's bytes.
     */
    record Companion(String key, byte[] content)
    {
    }

    /**
     * @param noted the noted writes about to be journaled together, in journal order (never empty).
     * @return the object to publish with them (never null).
     */
    Companion seal(List<Noted> noted);

    /**
     * @param companion what {@link #seal} returned.
     * @param failure   null once the batch (and the companion) is durable and applied; else why
     *                  nothing of the batch was published.
     */
    void settled(Companion companion, RuntimeException failure);
}
