package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

import static dev.conduit.blocklayout.Bytes.U32;
import static dev.conduit.blocklayout.Bytes.U64;

/**
 * Byte layout of a superblock, format version 1 (docs/FORMAT.md section 2). Two copies per
 * namespace: A at offset 0, B at offset 4096.
 *
 * <pre>
 *   0 magic "CNDTSUPR"              |  8 formatVersion u32 | 12 blockSizeBytes u32
 *  16 generation u64                | 24 storeUuid (16)    | 40 namespaceUuid (16)
 *  56 namespaceIndex u32            | 60 namespaceCount u32
 *  64 capacityBytes u64             | 72 createdMs u64
 *  80 stripeUnitBytes u32           | 84 allocationUnitBytes u32
 *  88 smallObjectMaxBytes u32       | 92 chunkSizeBytes u32
 *  96 journalOffsetBytes u64        |104 journalLengthBytes u64
 * 112 dataOffsetBytes u64           |120 dataLengthBytes u64
 * 128 journalSalt u64
 * 136 checkpointSequence u64        |144 checkpointLengthBytes u64
 * 152 checkpointCrc32c u32          |156 checkpointExtentCount u32
 * 160 replayOffsetBytes u64         |168 replaySequence u64
 * 176 checkpointExtents[64] × (namespaceIndex u32, reserved u32, offsetBytes u64, lengthBytes u64)
 * 4092 crc32c u32 over [0, 4092)
 * </pre>
 */
public final class SuperblockDescriptor
{
    /** Bytes of one superblock copy. */
    public static final int LENGTH = 4096;
    /** Format version this build writes: 2, the version chain (docs/FORMAT.md section 8). */
    public static final int VERSION = 2;
    /** Oldest format version this build opens (and upgrades on open). */
    public static final int MIN_VERSION = 1;
    /** Offset of copy A. */
    public static final long COPY_A_OFFSET = 0;
    /** Offset of copy B. */
    public static final long COPY_B_OFFSET = LENGTH;
    /** The magic: the ASCII bytes "CNDTSUPR" read as a little-endian u64. */
    public static final long MAGIC = Bytes.ascii("CNDTSUPR");

    static final int VERSION_OFFSET = 8;
    static final int BLOCK_SIZE_OFFSET = 12;
    static final int GENERATION_OFFSET = 16;
    static final int STORE_UUID_OFFSET = 24;
    static final int NAMESPACE_UUID_OFFSET = 40;
    static final int NAMESPACE_INDEX_OFFSET = 56;
    static final int NAMESPACE_COUNT_OFFSET = 60;
    static final int CAPACITY_OFFSET = 64;
    static final int CREATED_OFFSET = 72;
    static final int STRIPE_UNIT_OFFSET = 80;
    static final int ALLOCATION_UNIT_OFFSET = 84;
    static final int SMALL_MAX_OFFSET = 88;
    static final int CHUNK_SIZE_OFFSET = 92;
    static final int JOURNAL_OFFSET_OFFSET = 96;
    static final int JOURNAL_LENGTH_OFFSET = 104;
    static final int DATA_OFFSET_OFFSET = 112;
    static final int DATA_LENGTH_OFFSET = 120;
    static final int SALT_OFFSET = 128;
    static final int CHECKPOINT_SEQUENCE_OFFSET = 136;
    static final int CHECKPOINT_LENGTH_OFFSET = 144;
    static final int CHECKPOINT_CRC_OFFSET = 152;
    static final int CHECKPOINT_EXTENT_COUNT_OFFSET = 156;
    static final int REPLAY_OFFSET_OFFSET = 160;
    static final int REPLAY_SEQUENCE_OFFSET = 168;
    static final int EXTENTS_OFFSET = 176;
    static final int EXTENT_LENGTH = 24;
    static final int CRC_OFFSET = LENGTH - 4;

    private SuperblockDescriptor()
    {
    }

    /**
     * @param generation a superblock generation.
     * @return the offset of the copy that holds it.
     */
    public static long copyOffset(final long generation)
    {
        return (generation & 1) == 0 ? COPY_A_OFFSET : COPY_B_OFFSET;
    }

    /**
     * Encodes {@code sb} into a zeroed-and-filled 4096-byte block, checksum included.
     *
     * @param sb  the superblock.
     * @param dst at least {@link #LENGTH} bytes.
     */
    public static void encode(final Superblock sb, final MemorySegment dst)
    {
        dst.asSlice(0, LENGTH).fill((byte)0);
        dst.set(U64, 0, MAGIC);
        dst.set(U32, VERSION_OFFSET, sb.formatVersion());
        dst.set(U32, BLOCK_SIZE_OFFSET, Bytes.BLOCK);
        dst.set(U64, GENERATION_OFFSET, sb.generation());
        putUuid(dst, STORE_UUID_OFFSET, sb.storeUuid());
        putUuid(dst, NAMESPACE_UUID_OFFSET, sb.namespaceUuid());
        dst.set(U32, NAMESPACE_INDEX_OFFSET, sb.namespaceIndex());
        dst.set(U32, NAMESPACE_COUNT_OFFSET, sb.namespaceCount());
        dst.set(U64, CAPACITY_OFFSET, sb.capacityBytes());
        dst.set(U64, CREATED_OFFSET, sb.createdMs());
        final StoreGeometry g = sb.geometry();
        dst.set(U32, STRIPE_UNIT_OFFSET, g.stripeUnitBytes());
        dst.set(U32, ALLOCATION_UNIT_OFFSET, g.allocationUnitBytes());
        dst.set(U32, SMALL_MAX_OFFSET, g.smallObjectMaxBytes());
        dst.set(U32, CHUNK_SIZE_OFFSET, g.chunkSizeBytes());
        final Regions r = sb.regions();
        dst.set(U64, JOURNAL_OFFSET_OFFSET, r.journalOffsetBytes());
        dst.set(U64, JOURNAL_LENGTH_OFFSET, r.journalLengthBytes());
        dst.set(U64, DATA_OFFSET_OFFSET, r.dataOffsetBytes());
        dst.set(U64, DATA_LENGTH_OFFSET, r.dataLengthBytes());
        dst.set(U64, SALT_OFFSET, sb.journalSalt());
        final CheckpointRef cp = sb.checkpoint();
        dst.set(U64, CHECKPOINT_SEQUENCE_OFFSET, cp.sequence());
        dst.set(U64, CHECKPOINT_LENGTH_OFFSET, cp.lengthBytes());
        dst.set(U32, CHECKPOINT_CRC_OFFSET, cp.crc32c());
        dst.set(U32, CHECKPOINT_EXTENT_COUNT_OFFSET, cp.extents().size());
        dst.set(U64, REPLAY_OFFSET_OFFSET, cp.replayOffsetBytes());
        dst.set(U64, REPLAY_SEQUENCE_OFFSET, cp.replaySequence());
        long at = EXTENTS_OFFSET;
        for (final Extent e : cp.extents())
        {
            dst.set(U32, at, e.namespaceIndex());
            dst.set(U64, at + 8, e.offsetBytes());
            dst.set(U64, at + 16, e.lengthBytes());
            at += EXTENT_LENGTH;
        }
        dst.set(U32, CRC_OFFSET, Bytes.crc32c(dst, 0, CRC_OFFSET));
    }

    /**
     * Decodes one copy, checking magic, version and checksum in that order.
     *
     * @param src   {@link #LENGTH} bytes read from a copy.
     * @param where namespace and copy, for messages.
     * @return the superblock.
     * @throws dev.conduit.core.ConduitException {@code BAD_FORMAT} (no magic),
     *         {@code UNSUPPORTED_VERSION}, or {@code CORRUPT} (checksum, impossible values).
     */
    public static Superblock decode(final MemorySegment src, final String where)
    {
        if (src.get(U64, 0) != MAGIC)
        {
            throw LayoutErrors.error(ErrorCode.BAD_FORMAT, where + " is not a Conduit namespace (no superblock magic)");
        }
        final int version = src.get(U32, VERSION_OFFSET);
        if (version < MIN_VERSION || version > VERSION)
        {
            throw LayoutErrors.error(ErrorCode.UNSUPPORTED_VERSION, where + " has format version " + Integer.toUnsignedString(version)
                + "; this build reads versions " + MIN_VERSION + " to " + VERSION);
        }
        final int crc = Bytes.crc32c(src, 0, CRC_OFFSET);
        if (crc != src.get(U32, CRC_OFFSET))
        {
            throw LayoutErrors.corrupt(where, "superblock checksum mismatch");
        }
        final int extentCount = src.get(U32, CHECKPOINT_EXTENT_COUNT_OFFSET);
        if (src.get(U32, BLOCK_SIZE_OFFSET) != Bytes.BLOCK || extentCount < 0 || extentCount > CheckpointRef.MAX_EXTENTS)
        {
            throw LayoutErrors.corrupt(where, "impossible superblock values (block size or checkpoint extent count)");
        }
        final List<Extent> extents = new ArrayList<>(extentCount);
        long at = EXTENTS_OFFSET;
        for (int i = 0; i < extentCount; i++)
        {
            extents.add(new Extent(src.get(U32, at), src.get(U64, at + 8), src.get(U64, at + 16)));
            at += EXTENT_LENGTH;
        }
        final CheckpointRef cp = new CheckpointRef(src.get(U64, CHECKPOINT_SEQUENCE_OFFSET), src.get(U64, CHECKPOINT_LENGTH_OFFSET),
            src.get(U32, CHECKPOINT_CRC_OFFSET), extents, src.get(U64, REPLAY_OFFSET_OFFSET), src.get(U64, REPLAY_SEQUENCE_OFFSET));
        final StoreGeometry geometry;
        try
        {
            geometry = new StoreGeometry(src.get(U32, STRIPE_UNIT_OFFSET), src.get(U32, ALLOCATION_UNIT_OFFSET),
                src.get(U32, SMALL_MAX_OFFSET), src.get(U32, CHUNK_SIZE_OFFSET));
        }
        catch (final IllegalArgumentException e)
        {
            throw LayoutErrors.corrupt(where, e.getMessage());
        }
        final Regions regions = new Regions(src.get(U64, JOURNAL_OFFSET_OFFSET), src.get(U64, JOURNAL_LENGTH_OFFSET),
            src.get(U64, DATA_OFFSET_OFFSET), src.get(U64, DATA_LENGTH_OFFSET));
        return new Superblock(src.get(U64, GENERATION_OFFSET), getUuid(src, STORE_UUID_OFFSET), getUuid(src, NAMESPACE_UUID_OFFSET),
            src.get(U32, NAMESPACE_INDEX_OFFSET), src.get(U32, NAMESPACE_COUNT_OFFSET), src.get(U64, CAPACITY_OFFSET),
            src.get(U64, CREATED_OFFSET), geometry, regions, src.get(U64, SALT_OFFSET), cp, version);
    }

    private static void putUuid(final MemorySegment dst, final long offset, final UUID uuid)
    {
        dst.set(U64, offset, uuid.getMostSignificantBits());
        dst.set(U64, offset + 8, uuid.getLeastSignificantBits());
    }

    private static UUID getUuid(final MemorySegment src, final long offset)
    {
        return new UUID(src.get(U64, offset), src.get(U64, offset + 8));
    }
}
