package dev.conduit.blocklayout;

/**
 * Counters of one open store, with stable ids (never reused) so metrics keep their meaning across
 * releases. Read them with {@link ObjectStore#counter(StoreCounter)}.
 */
public enum StoreCounter
{
    /** Puts acknowledged. */
    PUTS(0),
    /** Objects read (handles opened). */
    GETS(1),
    /** Deletes acknowledged that removed an object. */
    DELETES(2),
    /** Object bytes written to namespaces. */
    BYTES_WRITTEN(3),
    /** Object bytes read and verified. */
    BYTES_READ(4),
    /** Journal batches written (group commits). */
    JOURNAL_BATCHES(5),
    /** Journal records written. */
    JOURNAL_RECORDS(6),
    /** Checkpoints installed. */
    CHECKPOINTS(7),
    /** Chunks whose CRC-32C did not match. */
    CRC_MISMATCHES(8),
    /** Allocations refused for lack of space. */
    NO_SPACE_ERRORS(9),
    /** Short reads that were re-issued. */
    SHORT_READ_RETRIES(10),
    /** Puts that failed after allocating (space returned). */
    PUT_FAILURES(11),
    /** Composes published by joining the parts' extents in place (no data copied). */
    COMPOSES(12),
    /** Composes published by copying the parts' bytes (part sizes not chunk- and stripe-aligned). */
    COMPOSE_COPIES(13);

    private final int id;

    StoreCounter(final int id)
    {
        this.id = id;
    }

    /** @return the stable id. */
    public int id()
    {
        return id;
    }
}
