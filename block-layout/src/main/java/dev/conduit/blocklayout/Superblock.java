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
    CheckpointRef checkpoint)
{
    /**
     * @param nextCheckpoint the new catalog root.
     * @return the next generation of this superblock pointing at {@code nextCheckpoint}.
     */
    public Superblock withCheckpoint(final CheckpointRef nextCheckpoint)
    {
        return new Superblock(generation + 1, storeUuid, namespaceUuid, namespaceIndex, namespaceCount,
            capacityBytes, createdMs, geometry, regions, journalSalt, nextCheckpoint);
    }
}
