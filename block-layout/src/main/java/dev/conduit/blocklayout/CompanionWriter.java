package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import dev.conduit.core.ErrorCode;

/**
 * The leader's side of a {@link CommitCompanion}: gathers the notes of one journal batch's
 * published writes, asks the companion for its object, and writes that object's bytes to newly
 * allocated space (unflushed: the batch's data flush covers them), leaving a record ready to be
 * journaled as the batch's last one.
 *
 * <p>Threading: the group-commit leader only.
 */
final class CompanionWriter
{
    /** Journal bytes kept free in each batch for the companion's record. */
    static final int RESERVE_BYTES = 16 << 10;
    /** Notes per journal batch at most, which bounds the companion object and its record. */
    static final int MAX_NOTES = 4096;

    /**
     * A sealed companion, written, not yet published.
     *
     * @param companion what the companion returned.
     * @param record    its encoded record (version to be stamped).
     * @param key       its UTF-8 key.
     * @param layout    its space, owned by the leader until the record publishes.
     * @param dirty     the namespaces its bytes went to.
     */
    record Sealed(CommitCompanion.Companion companion, byte[] record, byte[] key, ObjectLayout layout, BitSet dirty)
    {
    }

    private final CommitCompanion companion;
    private final ObjectWriter writer;

    CompanionWriter(final CommitCompanion companion, final ObjectWriter writer)
    {
        this.companion = companion;
        this.writer = writer;
    }

    /**
     * @param group the group.
     * @param from  first write of the batch.
     * @param to    end of the batch (exclusive).
     * @return the noted writes of {@code group[from, to)} that publish, in order; empty when none.
     */
    static List<CommitCompanion.Noted> noted(final List<PendingCommit> group, final int from, final int to)
    {
        final List<CommitCompanion.Noted> noted = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            final PendingCommit p = group.get(i);
            if (p.failure != null || p.notes.isEmpty())
            {
                // Refused, or a write without a note (it has no draft either) sharing the batch.
                continue;
            }
            final ObjectRecord record = p.isNotesOnly() ? null : p.draft.withVersion(p.version);
            for (final Object note : p.notes)
            {
                noted.add(new CommitCompanion.Noted(note, record));
            }
        }
        return noted;
    }

    /**
     * Seals and writes the companion object of a batch.
     *
     * @param noted the batch's noted writes (not empty).
     * @return the written companion; the caller publishes it or frees its space and settles it.
     */
    Sealed seal(final List<CommitCompanion.Noted> noted)
    {
        final CommitCompanion.Companion sealed = companion.seal(noted);
        if (sealed == null)
        {
            throw LayoutErrors.error(ErrorCode.INVALID_ARGUMENT, "the commit companion sealed no object for " + noted.size() + " notes");
        }
        final byte[] content = sealed.content();
        final PutSession.Prepared prepared;
        try
        {
            try (PutSession session = writer.open(sealed.key(), ObjectMetadata.NONE, content.length))
            {
                session.append(content, 0, content.length);
                prepared = session.prepare(content.length, null, null);
            }
        }
        catch (final RuntimeException e)
        {
            settled(sealed, e);
            throw e;
        }
        final BitSet dirty = new BitSet();
        for (final Column c : prepared.layout().columns())
        {
            dirty.set(c.namespaceIndex());
        }
        return new Sealed(sealed, prepared.record(), Keys.encode(sealed.key()), prepared.layout(), dirty);
    }

    /**
     * @param sealed  a sealed companion.
     * @param failure null when published, else why not.
     */
    void settled(final CommitCompanion.Companion sealed, final RuntimeException failure)
    {
        companion.settled(sealed, failure);
    }
}
