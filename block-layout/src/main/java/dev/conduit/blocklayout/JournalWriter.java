package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.conduit.blocklayout.namespace.Namespace;

import static dev.conduit.blocklayout.Bytes.U32;
import static dev.conduit.blocklayout.Bytes.U64;

/**
 * Appends batches to the journal region of namespace 0: records are gathered into one aligned
 * buffer, sealed with {@link JournalBatchDescriptor#finish}, written as whole blocks and flushed.
 * A batch never shares a block with an earlier one, so no sector is rewritten.
 *
 * <pre>{@code
 * writer.begin();
 * while (writer.tryAppendPut(record)) { ... }
 * writer.commit();          // durable when this returns
 * }</pre>
 *
 * <p>Threading: used only by the current group-commit leader (one thread at a time).
 */
final class JournalWriter
{
    /** Largest batch payload; bounds the buffer and every read during replay. */
    static final int MAX_BATCH_BYTES = 4 << 20;

    private final Namespace namespace;
    private final long regionOffsetBytes;
    private final long regionLengthBytes;
    private final long salt;
    private final MemorySegment buffer;
    private long writeOffsetBytes;
    private long nextSequence;
    private int payloadBytes;
    private int recordCount;
    private int reservedBytes;

    /**
     * @param namespace         namespace 0.
     * @param regionOffsetBytes journal region start.
     * @param regionLengthBytes journal region length.
     * @param salt              the store's journal salt.
     * @param buffer            aligned buffer of {@link #batchBufferBytes(long)} bytes.
     * @param writeOffsetBytes  where the next batch goes, relative to the region.
     * @param nextSequence      the next batch's sequence.
     */
    JournalWriter(
        final Namespace namespace,
        final long regionOffsetBytes,
        final long regionLengthBytes,
        final long salt,
        final MemorySegment buffer,
        final long writeOffsetBytes,
        final long nextSequence)
    {
        this.namespace = namespace;
        this.regionOffsetBytes = regionOffsetBytes;
        this.regionLengthBytes = regionLengthBytes;
        this.salt = salt;
        this.buffer = buffer;
        this.writeOffsetBytes = writeOffsetBytes;
        this.nextSequence = nextSequence;
    }

    /**
     * @param regionLengthBytes journal region length.
     * @return bytes of batch buffer a writer (or replay) needs.
     */
    static long batchBufferBytes(final long regionLengthBytes)
    {
        return Math.min(Bytes.roundUp(JournalBatchDescriptor.HEADER_LENGTH + (long)MAX_BATCH_BYTES, Bytes.BLOCK), regionLengthBytes);
    }

    /** Starts an empty batch. */
    void begin()
    {
        payloadBytes = 0;
        recordCount = 0;
    }

    /**
     * Keeps {@code bytes} of the batch free for a record appended last (a companion object, built
     * once the batch's other records are known): appends that would eat into them fail.
     *
     * @param bytes record bytes (header included) to keep free; 0 to release them.
     */
    void reserve(final int bytes)
    {
        reservedBytes = bytes;
    }

    /** @return true when the reserved bytes still fit the batch and the region. */
    boolean hasReservedRoom()
    {
        return hasRoom(-JournalBatchDescriptor.RECORD_HEADER_LENGTH);
    }

    /** @return true when nothing was appended since {@link #begin()}. */
    boolean isEmpty()
    {
        return recordCount == 0;
    }

    /**
     * @return where the batch ends now, for {@link #reset(long)}: a write of several records
     *         (a compose) is appended whole or not at all.
     */
    long mark()
    {
        return ((long)recordCount << 32) | payloadBytes;
    }

    /**
     * Drops every record appended since {@code mark} was taken in this batch.
     *
     * @param mark from {@link #mark()}.
     */
    void reset(final long mark)
    {
        recordCount = (int)(mark >>> 32);
        payloadBytes = (int)mark;
    }

    /**
     * @param key UTF-8 key.
     * @return bytes of a DELETE record's body for {@code key}.
     */
    static int deleteBodyBytes(final byte[] key)
    {
        return 10 + key.length;
    }

    /**
     * @param record object record bytes (version already stamped).
     * @return false, appending nothing, when the batch or the journal region is full.
     */
    boolean tryAppendPut(final byte[] record)
    {
        return appendRecord(JournalBatchDescriptor.TYPE_PUT, record);
    }

    private boolean appendRecord(final int type, final byte[] record)
    {
        if (!hasRoom(record.length))
        {
            return false;
        }
        final long at = header(type, record.length);
        MemorySegment.copy(record, 0, buffer, ValueLayout.JAVA_BYTE, at, record.length);
        payloadBytes += JournalBatchDescriptor.RECORD_HEADER_LENGTH + record.length;
        recordCount++;
        return true;
    }

    /**
     * @param version the delete's version.
     * @param key     UTF-8 key.
     * @return false, appending nothing, when the batch or the journal region is full.
     */
    boolean tryAppendDelete(final long version, final byte[] key)
    {
        final int bodyBytes = deleteBodyBytes(key);
        if (!hasRoom(bodyBytes))
        {
            return false;
        }
        final long at = header(JournalBatchDescriptor.TYPE_DELETE, bodyBytes);
        buffer.set(U64, at, version);
        Bytes.u16(buffer, at + 8, key.length);
        MemorySegment.copy(key, 0, buffer, ValueLayout.JAVA_BYTE, at + 10, key.length);
        payloadBytes += JournalBatchDescriptor.RECORD_HEADER_LENGTH + bodyBytes;
        recordCount++;
        return true;
    }

    /**
     * @param key UTF-8 key.
     * @return bytes of a DELETE_VERSION record's body for {@code key}.
     */
    static int deleteVersionBodyBytes(final byte[] key)
    {
        return 18 + key.length;
    }

    /**
     * @param record object record bytes of a new version (version and version id stamped).
     * @return false, appending nothing, when the batch or the journal region is full.
     */
    boolean tryAppendPutVersion(final byte[] record)
    {
        return appendRecord(JournalBatchDescriptor.TYPE_PUT_VERSION, record);
    }

    /**
     * @param version   the removal's version.
     * @param versionId the id of the version removed (0: the null version).
     * @param key       UTF-8 key.
     * @return false, appending nothing, when the batch or the journal region is full.
     */
    boolean tryAppendDeleteVersion(final long version, final long versionId, final byte[] key)
    {
        final int bodyBytes = deleteVersionBodyBytes(key);
        if (!hasRoom(bodyBytes))
        {
            return false;
        }
        final long at = header(JournalBatchDescriptor.TYPE_DELETE_VERSION, bodyBytes);
        buffer.set(U64, at, version);
        buffer.set(U64, at + 8, versionId);
        Bytes.u16(buffer, at + 16, key.length);
        MemorySegment.copy(key, 0, buffer, ValueLayout.JAVA_BYTE, at + 18, key.length);
        payloadBytes += JournalBatchDescriptor.RECORD_HEADER_LENGTH + bodyBytes;
        recordCount++;
        return true;
    }

    /**
     * @param payloadBytes records' bytes, each with its {@link JournalBatchDescriptor#RECORD_HEADER_LENGTH}-byte header.
     * @return true when a batch holding only these records (and the reserved bytes) fits at the start of an empty journal.
     */
    boolean fitsEmptyJournal(final int payloadBytes)
    {
        final long batch = Bytes.roundUp(JournalBatchDescriptor.HEADER_LENGTH + (long)payloadBytes + reservedBytes, Bytes.BLOCK);
        return batch <= buffer.byteSize() && batch <= regionLengthBytes;
    }

    /**
     * Seals, writes and flushes the batch.
     *
     * @return the sequence of the batch written.
     */
    long commit()
    {
        return commit(new BatchWrites());
    }

    /**
     * Seals the batch, writes it together with {@code alongside} (its puts' data on namespace 0: the
     * one flush below covers both, and replay checks the last batch's data, docs/FORMAT.md section 4)
     * and flushes.
     *
     * @param alongside writes to namespace 0 issued with the batch; emptied.
     * @return the sequence of the batch written.
     * @throws RuntimeException when any of the writes (or the flush) failed: the batch may be on the
     *                          media without its data, so the caller treats it as a journal failure.
     */
    long commit(final BatchWrites alongside)
    {
        final long sequence = nextSequence;
        final int lengthBytes = JournalBatchDescriptor.finish(buffer, sequence, salt, recordCount, payloadBytes);
        alongside.add(0, buffer.asSlice(0, lengthBytes), regionOffsetBytes + writeOffsetBytes);
        alongside.writeTo(namespace);
        namespace.flush();
        writeOffsetBytes += lengthBytes;
        nextSequence++;
        begin();
        return sequence;
    }

    /**
     * After a checkpoint covering every batch so far: the next batch goes to the region start.
     */
    void restartAtRegionStart()
    {
        writeOffsetBytes = 0;
    }

    /** @return the sequence the next batch will get. */
    long nextSequence()
    {
        return nextSequence;
    }

    /** @return bytes of the region used since the last checkpoint. */
    long usedBytes()
    {
        return writeOffsetBytes;
    }

    private boolean hasRoom(final int bodyBytes)
    {
        final long after = JournalBatchDescriptor.HEADER_LENGTH + (long)payloadBytes + JournalBatchDescriptor.RECORD_HEADER_LENGTH + bodyBytes
            + reservedBytes;
        return after <= buffer.byteSize() && writeOffsetBytes + Bytes.roundUp(after, Bytes.BLOCK) <= regionLengthBytes;
    }

    private long header(final int type, final int bodyBytes)
    {
        final long at = JournalBatchDescriptor.HEADER_LENGTH + (long)payloadBytes;
        buffer.set(U32, at, 1 + bodyBytes);
        Bytes.u8(buffer, at + 4, type);
        return at + JournalBatchDescriptor.RECORD_HEADER_LENGTH;
    }
}
