package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

import static dev.conduit.blocklayout.Bytes.U16;
import static dev.conduit.blocklayout.Bytes.U32;
import static dev.conduit.blocklayout.Bytes.U64;

/**
 * Byte layout of one journal batch, version 2 (docs/FORMAT.md section 4; version 1 batches, which
 * cannot hold the version-chain record types, are still replayed): a header, then records,
 * then zero padding to a whole number of 4 KiB blocks.
 *
 * <pre>
 *   0 magic "CJNL" u32            |  4 version u16 | 6 headerLength u16 (48)
 *   8 sequence u64
 *  16 journalSalt u64
 *  24 recordCount u32             | 28 payloadLengthBytes u32
 *  32 blockCount u32              | 36 reserved u32
 *  40 crc32c u32 over [0, 40) ++ payload
 *  44 reserved u32
 *  48 payload: records (length u32 | type u8 | body)*
 * </pre>
 */
public final class JournalBatchDescriptor
{
    /** The magic: ASCII "CJNL" as a little-endian u32. */
    public static final int MAGIC = (int)Bytes.ascii("CJNL");
    /** Batch format version written. */
    public static final int VERSION = 2;
    /** Oldest batch format version replayed. */
    public static final int MIN_VERSION = 1;
    /** Header bytes before the payload. */
    public static final int HEADER_LENGTH = 48;
    /** Record type: an object record (put or replace). */
    public static final int TYPE_PUT = 1;
    /** Record type: a delete (version u64, keyLength u16, key). */
    public static final int TYPE_DELETE = 2;
    /** Record type (v2): a new version of a key in a versioned or suspended bucket (an object record; a delete marker). */
    public static final int TYPE_PUT_VERSION = 3;
    /** Record type (v2): removal of one version (version u64, versionId u64, keyLength u16, key). */
    public static final int TYPE_DELETE_VERSION = 4;
    /** Bytes in front of every record body: length u32 and type u8. */
    public static final int RECORD_HEADER_LENGTH = 5;

    static final int VERSION_OFFSET = 4;
    static final int HEADER_LENGTH_OFFSET = 6;
    static final int SEQUENCE_OFFSET = 8;
    static final int SALT_OFFSET = 16;
    static final int RECORD_COUNT_OFFSET = 24;
    static final int PAYLOAD_LENGTH_OFFSET = 28;
    static final int BLOCK_COUNT_OFFSET = 32;
    static final int CRC_OFFSET = 40;

    private JournalBatchDescriptor()
    {
    }

    /**
     * Writes the header over a batch whose payload is already in place at {@link #HEADER_LENGTH}.
     *
     * @param batch        the batch buffer.
     * @param sequence     batch sequence.
     * @param salt         the store's journal salt.
     * @param recordCount  records in the payload.
     * @param payloadBytes payload length.
     * @return the batch length in bytes (whole blocks); padding is zeroed.
     */
    public static int finish(final MemorySegment batch, final long sequence, final long salt, final int recordCount, final int payloadBytes)
    {
        final int lengthBytes = (int)Bytes.roundUp(HEADER_LENGTH + (long)payloadBytes, Bytes.BLOCK);
        batch.asSlice(HEADER_LENGTH + (long)payloadBytes, lengthBytes - HEADER_LENGTH - (long)payloadBytes).fill((byte)0);
        batch.asSlice(0, HEADER_LENGTH).fill((byte)0);
        batch.set(U32, 0, MAGIC);
        batch.set(U16, VERSION_OFFSET, (short)VERSION);
        batch.set(U16, HEADER_LENGTH_OFFSET, (short)HEADER_LENGTH);
        batch.set(U64, SEQUENCE_OFFSET, sequence);
        batch.set(U64, SALT_OFFSET, salt);
        batch.set(U32, RECORD_COUNT_OFFSET, recordCount);
        batch.set(U32, PAYLOAD_LENGTH_OFFSET, payloadBytes);
        batch.set(U32, BLOCK_COUNT_OFFSET, lengthBytes / Bytes.BLOCK);
        batch.set(U32, CRC_OFFSET, crc(batch, payloadBytes));
        return lengthBytes;
    }

    /**
     * @param header at least {@link #HEADER_LENGTH} bytes from the start of a candidate batch.
     * @param sequence expected sequence.
     * @param salt     expected salt.
     * @param maxBlocks blocks left in the journal region.
     * @return the batch's block count when the header belongs to this batch of this store, else 0.
     */
    public static int acceptHeader(final MemorySegment header, final long sequence, final long salt, final long maxBlocks)
    {
        final int version = Bytes.u16(header, VERSION_OFFSET);
        if (header.get(U32, 0) != MAGIC || version < MIN_VERSION || version > VERSION
            || header.get(U64, SEQUENCE_OFFSET) != sequence || header.get(U64, SALT_OFFSET) != salt)
        {
            return 0;
        }
        final int blocks = header.get(U32, BLOCK_COUNT_OFFSET);
        final int payload = header.get(U32, PAYLOAD_LENGTH_OFFSET);
        final boolean sane = blocks > 0 && blocks <= maxBlocks && payload >= 0
            && Bytes.roundUp(HEADER_LENGTH + (long)payload, Bytes.BLOCK) == (long)blocks * Bytes.BLOCK;
        return sane ? blocks : 0;
    }

    /**
     * @param batch a whole batch whose header was accepted.
     * @return true when its checksum matches (false: torn or damaged).
     */
    public static boolean checksumMatches(final MemorySegment batch)
    {
        return crc(batch, payloadLength(batch)) == batch.get(U32, CRC_OFFSET);
    }

    /**
     * @param batch a batch.
     * @return its format version.
     */
    public static int version(final MemorySegment batch)
    {
        return Bytes.u16(batch, VERSION_OFFSET);
    }

    /**
     * @param batch a batch.
     * @return its record count.
     */
    public static int recordCount(final MemorySegment batch)
    {
        return batch.get(U32, RECORD_COUNT_OFFSET);
    }

    /**
     * @param batch a batch.
     * @return its payload length.
     */
    public static int payloadLength(final MemorySegment batch)
    {
        return batch.get(U32, PAYLOAD_LENGTH_OFFSET);
    }

    private static int crc(final MemorySegment batch, final int payloadBytes)
    {
        final CRC32C crc = new CRC32C();
        Bytes.update(crc, batch, 0, CRC_OFFSET);
        Bytes.update(crc, batch, HEADER_LENGTH, payloadBytes);
        return (int)crc.getValue();
    }
}
