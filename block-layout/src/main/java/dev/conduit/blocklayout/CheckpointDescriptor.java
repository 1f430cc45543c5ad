package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

import static dev.conduit.blocklayout.Bytes.U16;
import static dev.conduit.blocklayout.Bytes.U32;
import static dev.conduit.blocklayout.Bytes.U64;

/**
 * Byte layout of a checkpoint stream's header, version 2 (docs/FORMAT.md section 5). The payload
 * that follows is {@code recordCount × (length u32 | object record)} of current versions in
 * ascending key order, then {@code historyCount} more of noncurrent versions and delete markers in
 * ascending key order, newest first within a key. A version 1 header (historyCount 0, the field
 * was reserved and zero) is read as well.
 *
 * <pre>
 *   0 magic "CCKP" u32          |  4 version u16 | 6 headerLength u16 (64)
 *   8 sequence u64 (last journal batch included)
 *  16 journalSalt u64
 *  24 nextVersion u64
 *  32 recordCount u64
 *  40 payloadLengthBytes u64
 *  48 payloadCrc32c u32         | 52 headerCrc32c u32 over [0, 52)
 *  56 historyCount u64 (v2; reserved, 0, in v1)
 * </pre>
 */
public final class CheckpointDescriptor
{
    /** The magic: ASCII "CCKP" as a little-endian u32. */
    public static final int MAGIC = (int)Bytes.ascii("CCKP");
    /** Checkpoint format version written. */
    public static final int VERSION = 2;
    /** Oldest version read. */
    public static final int MIN_VERSION = 1;
    /** Header bytes before the payload. */
    public static final int HEADER_LENGTH = 64;

    static final int VERSION_OFFSET = 4;
    static final int HEADER_LENGTH_OFFSET = 6;
    static final int SEQUENCE_OFFSET = 8;
    static final int SALT_OFFSET = 16;
    static final int NEXT_VERSION_OFFSET = 24;
    static final int RECORD_COUNT_OFFSET = 32;
    static final int PAYLOAD_LENGTH_OFFSET = 40;
    static final int PAYLOAD_CRC_OFFSET = 48;
    static final int HEADER_CRC_OFFSET = 52;
    static final int HISTORY_COUNT_OFFSET = 56;

    /**
     * A decoded header.
     *
     * @param sequence           last journal sequence included.
     * @param journalSalt        the store's salt.
     * @param nextVersion        the version counter at the checkpoint.
     * @param recordCount        records in the payload.
     * @param payloadLengthBytes payload bytes.
     * @param payloadCrc32c      CRC-32C of the payload.
     * @param historyCount       records of the version history after the current ones (v2).
     */
    public record Header(
        long sequence, long journalSalt, long nextVersion, long recordCount, long payloadLengthBytes, int payloadCrc32c, long historyCount)
    {
        /**
         * A header with no version history.
         *
         * @param sequence           last journal sequence included.
         * @param journalSalt        the store's salt.
         * @param nextVersion        the version counter at the checkpoint.
         * @param recordCount        records in the payload.
         * @param payloadLengthBytes payload bytes.
         * @param payloadCrc32c      CRC-32C of the payload.
         */
        public Header(
            final long sequence, final long journalSalt, final long nextVersion, final long recordCount, final long payloadLengthBytes,
            final int payloadCrc32c)
        {
            this(sequence, journalSalt, nextVersion, recordCount, payloadLengthBytes, payloadCrc32c, 0);
        }
    }

    private CheckpointDescriptor()
    {
    }

    /**
     * @param h   header.
     * @param dst at least {@link #HEADER_LENGTH} bytes.
     */
    public static void encode(final Header h, final MemorySegment dst)
    {
        dst.asSlice(0, HEADER_LENGTH).fill((byte)0);
        dst.set(U32, 0, MAGIC);
        dst.set(U16, VERSION_OFFSET, (short)VERSION);
        dst.set(U16, HEADER_LENGTH_OFFSET, (short)HEADER_LENGTH);
        dst.set(U64, SEQUENCE_OFFSET, h.sequence());
        dst.set(U64, SALT_OFFSET, h.journalSalt());
        dst.set(U64, NEXT_VERSION_OFFSET, h.nextVersion());
        dst.set(U64, RECORD_COUNT_OFFSET, h.recordCount());
        dst.set(U64, PAYLOAD_LENGTH_OFFSET, h.payloadLengthBytes());
        dst.set(U32, PAYLOAD_CRC_OFFSET, h.payloadCrc32c());
        dst.set(U64, HISTORY_COUNT_OFFSET, h.historyCount());
        dst.set(U32, HEADER_CRC_OFFSET, Bytes.crc32c(dst, 0, HEADER_CRC_OFFSET));
    }

    /**
     * @param src {@link #HEADER_LENGTH} bytes.
     * @return the header.
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} or {@code UNSUPPORTED_VERSION}.
     */
    public static Header decode(final MemorySegment src)
    {
        if (src.get(U32, 0) != MAGIC)
        {
            throw LayoutErrors.corrupt("checkpoint", "no checkpoint magic");
        }
        final int version = Bytes.u16(src, VERSION_OFFSET);
        if (version < MIN_VERSION || version > VERSION)
        {
            throw LayoutErrors.error(ErrorCode.UNSUPPORTED_VERSION,
                "checkpoint version " + version + "; this build reads versions " + MIN_VERSION + " to " + VERSION);
        }
        if (Bytes.crc32c(src, 0, HEADER_CRC_OFFSET) != src.get(U32, HEADER_CRC_OFFSET))
        {
            throw LayoutErrors.corrupt("checkpoint", "header checksum mismatch");
        }
        return new Header(src.get(U64, SEQUENCE_OFFSET), src.get(U64, SALT_OFFSET), src.get(U64, NEXT_VERSION_OFFSET),
            src.get(U64, RECORD_COUNT_OFFSET), src.get(U64, PAYLOAD_LENGTH_OFFSET), src.get(U32, PAYLOAD_CRC_OFFSET),
            version >= 2 ? src.get(U64, HISTORY_COUNT_OFFSET) : 0);
    }
}
