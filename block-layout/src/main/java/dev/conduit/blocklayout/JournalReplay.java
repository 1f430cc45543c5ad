package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.conduit.blocklayout.namespace.Namespace;

import static dev.conduit.blocklayout.Bytes.U32;
import static dev.conduit.blocklayout.Bytes.U64;

/**
 * Reads the journal from the superblock's replay point and hands every record of every valid batch
 * to a {@link Sink}, stopping at the first block that is not the next batch of this store
 * (docs/FORMAT.md section 4). The data of namespace 0 is made durable by the same flush as the
 * batch that publishes it, so the last batch (the one no later batch follows: its flush may not
 * have completed) is applied only when the data of every object it publishes reads back with its
 * recorded checksums; otherwise it is a torn tail like a batch with a bad checksum.
 */
final class JournalReplay
{
    /** Receives replayed records in journal order. */
    interface Sink
    {
        /**
         * @param record object record bytes (a fresh array).
         */
        void onPut(byte[] record);

        /**
         * @param version the delete's version.
         * @param key     UTF-8 key.
         */
        void onDelete(long version, byte[] key);

        /**
         * @param record object record bytes of a new version (a fresh array).
         */
        void onPutVersion(byte[] record);

        /**
         * @param version   the removal's version.
         * @param versionId the id of the version removed (0: the null version).
         * @param key       UTF-8 key.
         */
        void onDeleteVersion(long version, long versionId, byte[] key);

        /**
         * @param record an object record of the last batch.
         * @return true when its data reads back with the recorded checksums.
         */
        default boolean dataIntact(final byte[] record)
        {
            return true;
        }
    }

    /**
     * What replay found.
     *
     * @param endOffsetBytes where the next batch goes, relative to the region.
     * @param nextSequence   the next batch's sequence.
     * @param batches        batches applied.
     * @param records        records applied.
     * @param tornTail       true when the batch after the last one had this store's header for the
     *                       expected sequence but a bad checksum (a crash during its write).
     */
    record Result(long endOffsetBytes, long nextSequence, long batches, long records, boolean tornTail)
    {
    }

    private JournalReplay()
    {
    }

    /**
     * @param ns           namespace 0.
     * @param sb           namespace 0's superblock (region, salt, replay point).
     * @param sink         receives records.
     * @return where replay stopped.
     */
    static Result replay(final Namespace ns, final Superblock sb, final Sink sink)
    {
        final long regionOffset = sb.regions().journalOffsetBytes();
        final long regionLength = sb.regions().journalLengthBytes();
        long offset = sb.checkpoint().replayOffsetBytes();
        long sequence = sb.checkpoint().replaySequence();
        long batches = 0;
        long records = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(JournalWriter.batchBufferBytes(regionLength), Bytes.BLOCK);
            while (offset + Bytes.BLOCK <= regionLength)
            {
                final MemorySegment head = buffer.asSlice(0, Bytes.BLOCK);
                ns.readFully(head, regionOffset + offset);
                final long maxBlocks = Math.min(regionLength - offset, buffer.byteSize()) / Bytes.BLOCK;
                final int blocks = JournalBatchDescriptor.acceptHeader(head, sequence, sb.journalSalt(), maxBlocks);
                if (blocks == 0)
                {
                    break;
                }
                if (blocks > 1)
                {
                    ns.readFully(buffer.asSlice(Bytes.BLOCK, (blocks - 1L) * Bytes.BLOCK), regionOffset + offset + Bytes.BLOCK);
                }
                if (!JournalBatchDescriptor.checksumMatches(buffer))
                {
                    return new Result(offset, sequence, batches, records, true);
                }
                final long nextOffset = offset + (long)blocks * Bytes.BLOCK;
                if (!isFollowed(ns, regionOffset, regionLength, nextOffset, sequence + 1, sb.journalSalt(), arena)
                    && !dataIntact(buffer, sink))
                {
                    return new Result(offset, sequence, batches, records, true);
                }
                records += applyBatch(buffer, sink);
                batches++;
                sequence++;
                offset += (long)blocks * Bytes.BLOCK;
            }
        }
        return new Result(offset, sequence, batches, records, false);
    }

    /**
     * A batch is written only after the flush of the one before it returned, so a batch followed by
     * the next one (whole or torn) was durable with all its data.
     */
    private static boolean isFollowed(
        final Namespace ns, final long regionOffset, final long regionLength, final long nextOffset, final long nextSequence,
        final long salt, final Arena arena)
    {
        if (nextOffset + Bytes.BLOCK > regionLength)
        {
            return false;
        }
        final MemorySegment head = arena.allocate(Bytes.BLOCK, Bytes.BLOCK);
        ns.readFully(head, regionOffset + nextOffset);
        return JournalBatchDescriptor.acceptHeader(head, nextSequence, salt, (regionLength - nextOffset) / Bytes.BLOCK) > 0;
    }

    /** @return true when every object record of the batch has its data (checked by the sink). */
    private static boolean dataIntact(final MemorySegment batch, final Sink sink)
    {
        return forEachRecord(batch, (type, body, bodyBytes) ->
            type != JournalBatchDescriptor.TYPE_PUT && type != JournalBatchDescriptor.TYPE_PUT_VERSION
                || sink.dataIntact(batch.asSlice(body, bodyBytes).toArray(ValueLayout.JAVA_BYTE)));
    }

    private static int applyBatch(final MemorySegment batch, final Sink sink)
    {
        final boolean chains = JournalBatchDescriptor.version(batch) >= 2;
        forEachRecord(batch, (type, body, bodyBytes) ->
        {
            if (type == JournalBatchDescriptor.TYPE_PUT)
            {
                sink.onPut(batch.asSlice(body, bodyBytes).toArray(ValueLayout.JAVA_BYTE));
            }
            else if (type == JournalBatchDescriptor.TYPE_DELETE)
            {
                final int keyLength = Bytes.u16(batch, body + 8);
                sink.onDelete(batch.get(U64, body), batch.asSlice(body + 10, keyLength).toArray(ValueLayout.JAVA_BYTE));
            }
            else if (chains && type == JournalBatchDescriptor.TYPE_PUT_VERSION)
            {
                sink.onPutVersion(batch.asSlice(body, bodyBytes).toArray(ValueLayout.JAVA_BYTE));
            }
            else if (chains && type == JournalBatchDescriptor.TYPE_DELETE_VERSION)
            {
                final int keyLength = Bytes.u16(batch, body + 16);
                sink.onDeleteVersion(batch.get(U64, body), batch.get(U64, body + 8),
                    batch.asSlice(body + 18, keyLength).toArray(ValueLayout.JAVA_BYTE));
            }
            else
            {
                throw LayoutErrors.corrupt("journal", "unknown record type " + type + " in a version "
                    + JournalBatchDescriptor.version(batch) + " batch");
            }
            return true;
        });
        return JournalBatchDescriptor.recordCount(batch);
    }

    /** Sees one record of a batch. */
    @FunctionalInterface
    private interface RecordVisitor
    {
        /**
         * @param type      record type.
         * @param body      offset of its body in the batch.
         * @param bodyBytes body length.
         * @return false to stop.
         */
        boolean visit(int type, long body, int bodyBytes);
    }

    /** @return false when the visitor stopped early. */
    private static boolean forEachRecord(final MemorySegment batch, final RecordVisitor visitor)
    {
        final int count = JournalBatchDescriptor.recordCount(batch);
        final long end = JournalBatchDescriptor.HEADER_LENGTH + (long)JournalBatchDescriptor.payloadLength(batch);
        long at = JournalBatchDescriptor.HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int length = batch.get(U32, at);
            if (length < 1 || at + 4 + length > end)
            {
                throw LayoutErrors.corrupt("journal", "record " + i + " overruns its batch");
            }
            if (!visitor.visit(Bytes.u8(batch, at + 4), at + JournalBatchDescriptor.RECORD_HEADER_LENGTH, length - 1))
            {
                return false;
            }
            at += 4 + length;
        }
        return true;
    }
}
