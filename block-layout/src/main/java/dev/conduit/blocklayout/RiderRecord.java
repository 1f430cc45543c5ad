package dev.conduit.blocklayout;

import java.util.Map;

import dev.conduit.core.ErrorCode;

/**
 * The store's side of one {@link CommitRider}: built by the put's own thread, encoded by the
 * group-commit leader once the put's version is known, and journaled right after the put.
 *
 * <p>Threading: made by the writer; {@link #encode} and {@link #record} by the leader only (the
 * writer reads nothing of it afterwards).
 */
final class RiderRecord
{
    /**
     * Journal bytes a rider can take at most (record header, key, content type, user metadata and
     * the fixed fields, rounded up): reserved when a lone write must fit an empty journal batch.
     */
    static final int MAX_JOURNAL_BYTES = 16 << 10;
    private static final byte[] EMPTY_MD5 = Bytes.md5().digest();

    final byte[] key;
    private final CommitRider rider;
    private final long createdMs;
    private final int chunkShift;
    /** The encoded record once the leader appended it; what later writes of the batch see for {@link #key}. */
    byte[] record;

    /**
     * @param rider      the caller's rider.
     * @param createdMs  the rider object's creation time.
     * @param chunkShift the store's chunk shift (a 0-byte object has no chunks, but its record names it).
     */
    RiderRecord(final CommitRider rider, final long createdMs, final int chunkShift)
    {
        this.key = Keys.encode(rider.key());
        this.rider = rider;
        this.createdMs = createdMs;
        this.chunkShift = chunkShift;
    }

    /**
     * @param published the put's record as published.
     * @param version   the rider's own version.
     * @return the rider's encoded record, also kept in {@link #record}.
     * @throws RuntimeException what the caller's metadata function threw, or METADATA_TOO_LARGE.
     */
    byte[] encode(final ObjectRecord published, final long version)
    {
        final ObjectMetadata meta = rider.metadata().apply(published);
        final Map<String, String> user = meta.userMetadata();
        final byte[] encoded = ObjectRecordDescriptor.encode(new ObjectRecord(rider.key(), version, 0, createdMs, EMPTY_MD5,
            meta.contentType(), user, chunkShift, new int[0], ObjectLayout.EMPTY, 0));
        if (JournalBatchDescriptor.RECORD_HEADER_LENGTH + encoded.length > MAX_JOURNAL_BYTES)
        {
            // Bounded, so that a write whose journal bytes are counted with this bound fits an empty batch.
            throw LayoutErrors.error(ErrorCode.METADATA_TOO_LARGE, "the rider " + rider.key() + " of a put is a record of "
                + encoded.length + " bytes; the limit is " + MAX_JOURNAL_BYTES);
        }
        record = encoded;
        return encoded;
    }
}
