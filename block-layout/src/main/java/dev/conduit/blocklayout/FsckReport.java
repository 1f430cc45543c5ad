package dev.conduit.blocklayout;

import java.util.List;

/**
 * What {@link ObjectStore#fsck} found.
 *
 * @param objectsChecked      objects whose every chunk was read and verified.
 * @param bytesVerified       content bytes read and checked.
 * @param problems            damage found, one line each (superblock copies, objects).
 * @param damagedKeys         objects whose data or layout is damaged.
 * @param journalBatches      batches replayed at open (the tail since the last checkpoint).
 * @param tornJournalTail     true when replay stopped at a torn batch (an unacknowledged write).
 * @param repaired            actions taken with {@code repair} (dropped objects, rewritten copies), and by open
 *                            (a torn superblock copy of an install cut short, rewritten).
 * @param space               space and fragmentation.
 */
public record FsckReport(
    long objectsChecked,
    long bytesVerified,
    List<String> problems,
    List<String> damagedKeys,
    long journalBatches,
    boolean tornJournalTail,
    List<String> repaired,
    SpaceReport space)
{
    /** Copies the lists. */
    public FsckReport
    {
        problems = List.copyOf(problems);
        damagedKeys = List.copyOf(damagedKeys);
        repaired = List.copyOf(repaired);
    }

    /** @return true when nothing is damaged (a torn, unacknowledged journal tail is not damage). */
    public boolean clean()
    {
        return problems.isEmpty();
    }
}
