package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.List;
import java.util.zip.CRC32C;

import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;

/**
 * Writes the catalog as a checkpoint stream into freshly allocated data-region extents, and loads
 * one back (docs/FORMAT.md section 5). Installing the written checkpoint in the superblock is the
 * caller's step ({@link Checkpointer}).
 */
final class CheckpointIo
{
    /** Staging buffer for checkpoint streams: large sequential O_DIRECT transfers. */
    static final int STAGING_BYTES = 1 << 20;

    private CheckpointIo()
    {
    }

    /**
     * @param recordCount records in the catalog.
     * @param recordBytes sum of their lengths.
     * @return the stream length a checkpoint of that catalog needs.
     */
    static long streamBytes(final long recordCount, final long recordBytes)
    {
        return Bytes.roundUp(CheckpointDescriptor.HEADER_LENGTH + 4 * recordCount + recordBytes, Bytes.BLOCK);
    }

    /**
     * Writes and flushes a checkpoint of {@code catalog}; on failure the space is returned.
     *
     * @param namespaces  the store's namespaces.
     * @param allocator   source of the stream's extents.
     * @param chains      the catalog and version history, not mutated during the call.
     * @param sequence    last journal sequence the catalog includes.
     * @param salt        the store's journal salt.
     * @param nextVersion version counter to record.
     * @return the new root, replaying from the journal start with {@code sequence + 1}.
     */
    static CheckpointRef write(
        final List<Namespace> namespaces,
        final Allocator allocator,
        final VersionChain chains,
        final long sequence,
        final long salt,
        final long nextVersion)
    {
        final CatalogIndex catalog = chains.current();
        final CatalogIndex history = chains.history();
        final long count = catalog.size();
        final long historyCount = history.size();
        final long recordBytes = catalog.recordBytes() + history.recordBytes();
        final long payloadBytes = 4 * (count + historyCount) + recordBytes;
        final long lengthBytes = streamBytes(count + historyCount, recordBytes);
        final List<Extent> extents = allocator.allocateCheckpoint(lengthBytes);
        try (Arena arena = Arena.ofConfined())
        {
            final ExtentStreamWriter out = new ExtentStreamWriter(namespaces, extents,
                arena.allocate(Math.min(STAGING_BYTES, lengthBytes), Bytes.BLOCK), arena.allocate(Bytes.BLOCK, Bytes.BLOCK));
            out.write(new byte[CheckpointDescriptor.HEADER_LENGTH], 0, CheckpointDescriptor.HEADER_LENGTH);
            final CRC32C crc = new CRC32C();
            final byte[] lengthField = new byte[4];
            final long[] written = {0};
            final CatalogIndex.Visitor writeRecord = record ->
            {
                Bytes.u32(lengthField, 0, record.length);
                crc.update(lengthField);
                crc.update(record);
                out.write(lengthField, 0, 4);
                out.write(record, 0, record.length);
                written[0]++;
                return true;
            };
            catalog.scan(null, true, writeRecord);
            history.scan(null, true, writeRecord);
            if (written[0] != count + historyCount)
            {
                throw new IllegalStateException("catalog changed during checkpoint: " + written[0] + " != " + (count + historyCount));
            }
            final int payloadCrc = (int)crc.getValue();
            final MemorySegment header = arena.allocate(CheckpointDescriptor.HEADER_LENGTH);
            CheckpointDescriptor.encode(
                new CheckpointDescriptor.Header(sequence, salt, nextVersion, count, payloadBytes, payloadCrc, historyCount), header);
            out.finish(header);
            flushAll(namespaces, extents);
            return new CheckpointRef(sequence, lengthBytes, payloadCrc, extents, 0, sequence + 1);
        }
        catch (final RuntimeException e)
        {
            allocator.free(extents);
            throw e;
        }
    }

    /**
     * Loads a checkpoint into an empty catalog.
     *
     * @param namespaces the store's namespaces.
     * @param ref        the root from the superblock.
     * @param salt       the store's journal salt.
     * @param chains     receives the records (current versions, then the history).
     * @return the version counter recorded (1 when there is no checkpoint).
     * @throws dev.conduit.core.ConduitException {@code CORRUPT} on any mismatch.
     */
    static long read(final List<Namespace> namespaces, final CheckpointRef ref, final long salt, final VersionChain chains)
    {
        if (ref.lengthBytes() == 0)
        {
            return 1;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final ExtentStreamReader in = new ExtentStreamReader(namespaces, ref.extents(), ref.lengthBytes(),
                arena.allocate(Math.min(STAGING_BYTES, ref.lengthBytes()), Bytes.BLOCK));
            final byte[] headerBytes = new byte[CheckpointDescriptor.HEADER_LENGTH];
            in.readFully(headerBytes, 0, headerBytes.length);
            final CheckpointDescriptor.Header h = CheckpointDescriptor.decode(MemorySegment.ofArray(headerBytes));
            if (h.sequence() != ref.sequence() || h.journalSalt() != salt || h.payloadCrc32c() != ref.crc32c()
                || streamBytes(h.recordCount() + h.historyCount(), h.payloadLengthBytes() - 4 * (h.recordCount() + h.historyCount()))
                    != ref.lengthBytes())
            {
                throw LayoutErrors.corrupt("checkpoint", "header does not match the superblock (sequence " + h.sequence()
                    + " vs " + ref.sequence() + ")");
            }
            final CRC32C crc = new CRC32C();
            final byte[] lengthField = new byte[4];
            for (long i = 0; i < h.recordCount() + h.historyCount(); i++)
            {
                in.readFully(lengthField, 0, 4);
                final int length = Bytes.u32(lengthField, 0);
                if (length < ObjectRecordDescriptor.FIXED_LENGTH || length > h.payloadLengthBytes())
                {
                    throw LayoutErrors.corrupt("checkpoint", "record " + i + " has impossible length " + length);
                }
                final byte[] record = new byte[length];
                in.readFully(record, 0, length);
                crc.update(lengthField);
                crc.update(record);
                (i < h.recordCount() ? chains.current() : chains.history()).appendSorted(record);
            }
            if ((int)crc.getValue() != h.payloadCrc32c())
            {
                throw LayoutErrors.corrupt("checkpoint", "payload checksum mismatch");
            }
            return h.nextVersion();
        }
    }

    /**
     * @param namespaces the store's namespaces.
     * @param extents    extents just written.
     */
    static void flushAll(final List<Namespace> namespaces, final List<Extent> extents)
    {
        final BitSet touched = new BitSet();
        for (final Extent e : extents)
        {
            touched.set(e.namespaceIndex());
        }
        touched.stream().forEach(i -> namespaces.get(i).flush());
    }
}
