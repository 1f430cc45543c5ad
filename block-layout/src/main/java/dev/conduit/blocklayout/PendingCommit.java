package dev.conduit.blocklayout;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * One write waiting in the group-commit queue: a put or a delete, optionally conditional, and for
 * a composed object the part keys it removes in the same journal batch. Created by the caller's
 * thread, completed by whichever thread leads the group commit; the fields after construction are
 * written by the leader under the pipeline lock and read by the caller after {@link #done} is seen
 * under the same lock.
 */
final class PendingCommit
{
    /** What {@link #effectOn} answers when only applying the write can tell (a version removal may promote an older one). */
    static final byte[] UNKNOWN_EFFECT = new byte[0];
    private static final byte[][] NO_KEYS = {};
    private static final long[] NO_VERSIONS = {};
    /** Not a journal record type: a commit that only carries notes for the companion. */
    private static final int TYPE_NOTES = -1;

    final int type;
    final byte[] record;
    final byte[] key;
    /** Space this write allocated and owns until it publishes; freed when it does not. */
    final ObjectLayout layout;
    final BitSet dirtyNamespaces;
    /** Whether the replaced version's extents are retired (false when they move to the new record). */
    final boolean retireSpace;
    final CommitCondition condition;
    /** The version the key must still have (the one a metadata replace was planned from), or 0. */
    final long expectedVersion;
    /** Keys removed in the same batch without retiring their extents (a compose's parts). */
    final byte[][] removedKeys;
    /** The version each removed key must still have. */
    final long[] removedVersions;
    /** Extents retired once published (parts whose bytes were copied). */
    final List<Extent> retireOnPublish;
    /** The version id a DELETE_VERSION removes (0: the null version). */
    final long versionId;
    /** Whether the leader stamps the record's version id with its version (a new version in a versioned bucket). */
    final boolean stampVersionId;

    /**
     * The write's data not yet written (a put's last staging buffer), or null: the leader issues it
     * with the journal batch that publishes the write, and never once the write is refused or failed.
     */
    BatchWrites data;
    /** Notes for the store's {@link CommitCompanion}: this write's own, or the notes of a notes-only commit. */
    List<?> notes = List.of();
    /** The record before stamping, handed to the companion with a put's note and to its rider. */
    ObjectRecord draft;
    /** A 0-byte object journaled right after this put, in its batch ({@link CommitRider}), or null. */
    RiderRecord rider;
    long version;
    boolean done;
    /** Signalled (under the pipeline's lock) when this commit is done or may lead: its waiter alone wakes. */
    Condition wakeup;
    RuntimeException failure;
    byte[] replaced;

    private PendingCommit(final Builder b)
    {
        this.type = b.type;
        this.record = b.record;
        this.key = b.key;
        this.layout = b.layout;
        this.retireSpace = b.retireSpace;
        this.condition = b.condition;
        this.expectedVersion = b.expectedVersion;
        this.removedKeys = b.removedKeys;
        this.removedVersions = b.removedVersions;
        this.retireOnPublish = b.retireOnPublish;
        this.versionId = b.versionId;
        this.stampVersionId = b.record != null && ObjectRecordDescriptor.isVersioned(b.record) && ObjectRecordDescriptor.versionId(b.record) == 0;
        this.dirtyNamespaces = new BitSet();
        for (final Column c : layout.columns())
        {
            dirtyNamespaces.set(c.namespaceIndex());
        }
    }

    /**
     * @param record encoded record (its version is stamped at commit).
     * @param layout the space it owns, returned if the put is not published.
     * @return a pending unconditional put.
     */
    static PendingCommit put(final byte[] record, final ObjectLayout layout)
    {
        return put(record, layout, CommitCondition.NONE);
    }

    /**
     * @param record    encoded record (its version is stamped at commit).
     * @param layout    the space it owns, returned if the put is not published.
     * @param condition what must hold of the key's current version.
     * @return a pending put.
     */
    static PendingCommit put(final byte[] record, final ObjectLayout layout, final CommitCondition condition)
    {
        return put(record, layout, condition, VersioningMode.OFF);
    }

    /**
     * @param record    encoded record (its version, and its version id when versioned, are stamped at commit).
     * @param layout    the space it owns, returned if the put is not published.
     * @param condition what must hold of the key's current version.
     * @param mode      {@link VersioningMode#OFF}: replace the current version; otherwise a new version (PUT_VERSION).
     * @return a pending put.
     */
    static PendingCommit put(final byte[] record, final ObjectLayout layout, final CommitCondition condition, final VersioningMode mode)
    {
        return new Builder(putType(mode), record, recordKey(record)).layout(layout).condition(condition).build();
    }

    /**
     * @param key       UTF-8 key.
     * @param versionId the version to remove (0: the null version).
     * @return a pending version removal.
     */
    static PendingCommit deleteVersion(final byte[] key, final long versionId)
    {
        final Builder b = new Builder(JournalBatchDescriptor.TYPE_DELETE_VERSION, null, key);
        b.versionId = versionId;
        return b.build();
    }

    private static int putType(final VersioningMode mode)
    {
        return mode == VersioningMode.OFF ? JournalBatchDescriptor.TYPE_PUT : JournalBatchDescriptor.TYPE_PUT_VERSION;
    }

    /**
     * A put whose record reuses extents already owned by other records: the key's current version
     * (a metadata replace) or the parts it removes (a compose).
     *
     * @param record          encoded record.
     * @param condition       the caller's condition on the key.
     * @param expectedVersion the version the key must still have (0: not checked); its extents are then not retired.
     * @param parts           the parts removed in the same batch, or null.
     * @param newSpace        space allocated for this write (a copied compose), or {@link ObjectLayout#EMPTY}.
     * @return a pending put.
     */
    static PendingCommit adopting(
        final byte[] record, final CommitCondition condition, final long expectedVersion, final ComposedParts parts, final ObjectLayout newSpace)
    {
        return adopting(record, condition, expectedVersion, parts, newSpace, VersioningMode.OFF);
    }

    /**
     * {@link #adopting(byte[], CommitCondition, long, ComposedParts, ObjectLayout)} of a new version
     * in a versioned bucket (a multipart completion) when {@code mode} is not OFF.
     */
    static PendingCommit adopting(
        final byte[] record,
        final CommitCondition condition,
        final long expectedVersion,
        final ComposedParts parts,
        final ObjectLayout newSpace,
        final VersioningMode mode)
    {
        final Builder b = new Builder(putType(mode), record, recordKey(record)).layout(newSpace).condition(condition);
        b.expectedVersion = expectedVersion;
        b.retireSpace = expectedVersion == 0;
        if (parts != null)
        {
            b.removedKeys = parts.keys();
            b.removedVersions = parts.versions();
            b.retireOnPublish = parts.retireOnPublish();
        }
        return b.build();
    }

    /**
     * @param key         UTF-8 key.
     * @param retireSpace false when the record's extents may overlap live data (fsck drops them and
     *                    lets the next open rebuild free space without them).
     * @return a pending delete.
     */
    static PendingCommit delete(final byte[] key, final boolean retireSpace)
    {
        final Builder b = new Builder(JournalBatchDescriptor.TYPE_DELETE, null, key);
        b.retireSpace = retireSpace;
        return b.build();
    }

    /**
     * @param notes what the companion seals on their own (nothing else is written).
     * @return a pending notes-only commit.
     */
    static PendingCommit notes(final List<?> notes)
    {
        final PendingCommit p = new Builder(TYPE_NOTES, null, null).build();
        p.notes = List.copyOf(notes);
        return p;
    }

    /**
     * Gives this put a note for the companion.
     *
     * @param note  the note.
     * @param draft the record before stamping.
     */
    void note(final Object note, final ObjectRecord draft)
    {
        this.notes = List.of(note);
        this.draft = draft;
    }

    /**
     * Gives this put a rider, journaled right after it.
     *
     * @param r     the rider.
     * @param draft the record before stamping.
     */
    void ride(final RiderRecord r, final ObjectRecord draft)
    {
        this.rider = r;
        this.draft = draft;
    }

    /** @return the store versions this write takes: its own, one per removed key, one for its rider. */
    int versionCount()
    {
        return 1 + removedKeys.length + (rider != null ? 1 : 0);
    }

    /** @return true for a commit that only carries notes. */
    boolean isNotesOnly()
    {
        return type == TYPE_NOTES;
    }

    /** @return true for a write that carries a record (PUT, PUT_VERSION). */
    boolean isPut()
    {
        return record != null;
    }

    /** @return true when the leader must check state before journaling this write. */
    boolean isConditional()
    {
        return !condition.isNone() || expectedVersion != 0 || removedKeys.length > 0;
    }

    /** @return journal payload bytes of every record this write appends, record headers included. */
    int journalBytes()
    {
        if (isNotesOnly())
        {
            return 0;
        }
        final int body = isPut() ? record.length
            : type == JournalBatchDescriptor.TYPE_DELETE_VERSION ? JournalWriter.deleteVersionBodyBytes(key) : JournalWriter.deleteBodyBytes(key);
        int total = JournalBatchDescriptor.RECORD_HEADER_LENGTH + body;
        for (final byte[] removed : removedKeys)
        {
            total += JournalBatchDescriptor.RECORD_HEADER_LENGTH + JournalWriter.deleteBodyBytes(removed);
        }
        return rider != null ? total + RiderRecord.MAX_JOURNAL_BYTES : total;
    }

    /**
     * What this write, once journaled, makes of {@code k}.
     *
     * @param k         UTF-8 key.
     * @param untouched returned when this write does not touch {@code k}.
     * @return the record {@code k} then has, null when this write removes it, or {@code untouched}.
     */
    byte[] effectOn(final byte[] k, final byte[] untouched)
    {
        if (rider != null && rider.record != null && Arrays.equals(rider.key, k))
        {
            // Journaled last of this write's records, so it is what the key holds after it.
            return rider.record;
        }
        if (key != null && Arrays.equals(key, k))
        {
            if (type == JournalBatchDescriptor.TYPE_DELETE_VERSION)
            {
                return UNKNOWN_EFFECT;
            }
            return isPut() && !ObjectRecordDescriptor.isDeleteMarker(record) ? record : null;
        }
        for (final byte[] removed : removedKeys)
        {
            if (Arrays.equals(removed, k))
            {
                return null;
            }
        }
        return untouched;
    }

    private static byte[] recordKey(final byte[] record)
    {
        return Arrays.copyOfRange(record, 2, 2 + ObjectRecordDescriptor.keyLength(record));
    }

    private static final class Builder
    {
        private final int type;
        private final byte[] record;
        private final byte[] key;
        private ObjectLayout layout = ObjectLayout.EMPTY;
        private boolean retireSpace = true;
        private CommitCondition condition = CommitCondition.NONE;
        private long expectedVersion;
        private byte[][] removedKeys = NO_KEYS;
        private long[] removedVersions = NO_VERSIONS;
        private List<Extent> retireOnPublish = List.of();
        private long versionId;

        private Builder(final int type, final byte[] record, final byte[] key)
        {
            this.type = type;
            this.record = record;
            this.key = key;
        }

        private Builder layout(final ObjectLayout space)
        {
            this.layout = space;
            return this;
        }

        private Builder condition(final CommitCondition c)
        {
            this.condition = c;
            return this;
        }

        private PendingCommit build()
        {
            return new PendingCommit(this);
        }
    }
}
