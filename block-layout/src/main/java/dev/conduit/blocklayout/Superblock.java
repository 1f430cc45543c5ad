package dev.conduit.blocklayout;

import java.util.UUID;

/**
 * One decoded superblock (docs/FORMAT.md section 2); {@link SuperblockDescriptor} is its byte layout.
 *
 * @param generation     increases by one per rewrite; copy {@code generation mod 2} holds it.
 * @param storeUuid      identity of the store; equal on all its namespaces.
 * @param namespaceUuid  identity of this namespace.
 * @param namespaceIndex position of this namespace in the store.
 * @param namespaceCount how many namespaces the store spans.
 * @param capacityBytes  namespace size at format time.
 * @param createdMs      format time, epoch milliseconds.
 * @param geometry       placement parameters.
 * @param regions        journal and data regions of this namespace.
 * @param journalSalt    random per store; every journal batch carries it.
 * @param checkpoint     catalog root (namespace 0 only; {@link CheckpointRef#EMPTY} elsewhere).
 * @param formatVersion  the on-disk format version the copy was written with (1 or 2; see docs/FORMAT.md section 8).
 */
public record Superblock(
    long generation,
    UUID storeUuid,
    UUID namespaceUuid,
    int namespaceIndex,
    int namespaceCount,
    long capacityBytes,
    long createdMs,
    StoreGeometry geometry,
    Regions regions,
    long journalSalt,
    CheckpointRef checkpoint,
    int formatVersion)
{
    /**
     * A superblock of the format this build writes ({@link SuperblockDescriptor#VERSION}).
     *
     * @param generation     increases by one per rewrite.
     * @param storeUuid      identity of the store.
     * @param namespaceUuid  identity of this namespace.
     * @param namespaceIndex position of this namespace in the store.
     * @param namespaceCount how many namespaces the store spans.
     * @param capacityBytes  namespace size at format time.
     * @param createdMs      format time, epoch milliseconds.
     * @param geometry       placement parameters.
     * @param regions        journal and data regions of this namespace.
     * @param journalSalt    random per store.
     * @param checkpoint     catalog root.
     */
    public Superblock(
        final long generation,
        final UUID storeUuid,
        final UUID namespaceUuid,
        final int namespaceIndex,
        final int namespaceCount,
        final long capacityBytes,
        final long createdMs,
        final StoreGeometry geometry,
        final Regions regions,
        final long journalSalt,
        final CheckpointRef checkpoint)
    {
        this(generation, storeUuid, namespaceUuid, namespaceIndex, namespaceCount, capacityBytes, createdMs, geometry, regions, journalSalt,
            checkpoint, SuperblockDescriptor.VERSION);
    }

    /** @return this superblock as the current format writes it (an upgrade of a version 1 copy), same generation. */
    public Superblock upgraded()
    {
        return new Superblock(generation, storeUuid, namespaceUuid, namespaceIndex, namespaceCount,
            capacityBytes, createdMs, geometry, regions, journalSalt, checkpoint);
    }

    /**
     * @param nextCheckpoint the new catalog root.
     * @return the next generation of this superblock pointing at {@code nextCheckpoint}, in the
     *         current format (installing a checkpoint is what upgrades namespace 0).
     */
    public Superblock withCheckpoint(final CheckpointRef nextCheckpoint)
    {
        return new Superblock(generation + 1, storeUuid, namespaceUuid, namespaceIndex, namespaceCount,
            capacityBytes, createdMs, geometry, regions, journalSalt, nextCheckpoint);
    }
}
