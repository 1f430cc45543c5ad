package dev.conduit.blocklayout;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * What must hold of a key's current version for a write to publish (S3 {@code If-None-Match: *},
 * and compare-and-swap on the version for read-modify-write of metadata).
 *
 * <pre>{@code
 * put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.IF_ABSENT);      // create only
 * store.replaceMetadata(key, meta, CommitCondition.ifVersion(record.version())); // no lost update
 * }</pre>
 *
 * <p>The condition is checked by the group-commit leader against the catalog as it stands after
 * every write ordered before this one (including earlier writes of the same journal batch), in the
 * same step that journals the write. No other write can come between the check and the publish, so
 * of two concurrent {@link #IF_ABSENT} writes of one key exactly one publishes. A write whose
 * condition fails journals nothing and fails with {@code PRECONDITION_FAILED}.
 *
 * <p>Immutable; safe to share.
 */
public final class CommitCondition
{
    /** No condition: publish whatever the key holds (the plain put, replace and delete). */
    public static final CommitCondition NONE = new CommitCondition(Kind.NONE, 0);
    /** Publish only when the key has no current version. */
    public static final CommitCondition IF_ABSENT = new CommitCondition(Kind.IF_ABSENT, 0);

    private enum Kind
    {
        NONE, IF_ABSENT, IF_VERSION
    }

    private final Kind kind;
    private final long version;

    private CommitCondition(final Kind kind, final long version)
    {
        this.kind = kind;
        this.version = version;
    }

    /**
     * @param version the version ({@link ObjectRecord#version()}) the key's current record must have.
     * @return a condition that holds only while the key's current version is exactly {@code version}.
     */
    public static CommitCondition ifVersion(final long version)
    {
        if (version <= 0)
        {
            throw new IllegalArgumentException("versions are positive: " + version);
        }
        return new CommitCondition(Kind.IF_VERSION, version);
    }

    /** @return true for {@link #NONE}. */
    public boolean isNone()
    {
        return kind == Kind.NONE;
    }

    /**
     * @param current the key's current record bytes, or null when it has none.
     * @return true when the condition holds.
     */
    boolean holds(final byte[] current)
    {
        return switch (kind)
        {
            case NONE -> true;
            case IF_ABSENT -> current == null;
            case IF_VERSION -> current != null && ObjectRecordDescriptor.version(current) == version;
        };
    }

    /**
     * @param key     the key the write targets.
     * @param current its current record bytes, or null.
     * @return {@code PRECONDITION_FAILED} naming the key, what was required and what held.
     */
    ConduitException failure(final String key, final byte[] current)
    {
        final String found = current == null ? "it does not exist" : "its current version is " + ObjectRecordDescriptor.version(current);
        return LayoutErrors.error(ErrorCode.PRECONDITION_FAILED, "write of " + key + " required " + this + " but " + found);
    }

    @Override
    public String toString()
    {
        return switch (kind)
        {
            case NONE -> "no condition";
            case IF_ABSENT -> "that it does not exist";
            case IF_VERSION -> "version " + version;
        };
    }
}
