package dev.conduit.blocklayout;

import java.util.List;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Installs checkpoints (docs/FORMAT.md section 5): writes the catalog to new extents, points
 * namespace 0's superblock at them with the next generation, frees the previous checkpoint and
 * restarts the journal at its region start.
 *
 * <p>Threading: called only by the group-commit leader, so the catalog does not change meanwhile.
 */
final class Checkpointer
{
    private final List<Namespace> namespaces;
    private final Allocator allocator;
    private final VersionChain chains;
    private final JournalWriter journal;
    private Superblock superblock;

    Checkpointer(
        final List<Namespace> namespaces,
        final Allocator allocator,
        final VersionChain chains,
        final JournalWriter journal,
        final Superblock namespace0Superblock)
    {
        this.namespaces = namespaces;
        this.allocator = allocator;
        this.chains = chains;
        this.journal = journal;
        this.superblock = namespace0Superblock;
    }

    /** @return namespace 0's current superblock. */
    Superblock superblock()
    {
        return superblock;
    }

    /** @return true when batches were written since the last checkpoint. */
    boolean hasJournalTail()
    {
        return journal.usedBytes() > 0;
    }

    /**
     * Writes and installs a checkpoint of the catalog as of the last written batch.
     *
     * @param nextVersion the version counter to record.
     * @throws dev.conduit.core.ConduitException {@code STORE_FAILED} when the superblock
     *         write failed (the store must be reopened); any other error left the previous root intact.
     */
    void checkpoint(final long nextVersion)
    {
        final long sequence = journal.nextSequence() - 1;
        final CheckpointRef ref = CheckpointIo.write(namespaces, allocator, chains, sequence, superblock.journalSalt(), nextVersion);
        final Superblock next = superblock.withCheckpoint(ref);
        try
        {
            SuperblockIo.write(namespaces.getFirst(), next);
        }
        catch (final RuntimeException e)
        {
            // Either generation may now be on disk, so neither checkpoint's space may be reused.
            throw LayoutErrors.error(ErrorCode.STORE_FAILED, "superblock update failed; reopen the store: " + e.getMessage(), e);
        }
        final List<Extent> previous = superblock.checkpoint().extents();
        superblock = next;
        allocator.free(previous);
        journal.restartAtRegionStart();
    }
}
