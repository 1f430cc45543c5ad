package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A put of known size whose bytes the caller writes into the allocated extents itself (a GPU
 * writing them with cuFile DMA), while the store keeps what makes a put durable and checkable: the
 * space (allocated at open, freed unless committed), the CRC-32C per chunk and the MD5 ETag (from
 * the bytes the caller {@linkplain #hash hashes} in order), the data flush and the journal commit.
 *
 * <pre>{@code
 * try (DirectPut put = store.openDirectPut("ckpt/step-1000", meta, sizeBytes))
 * {
 *     put.layout().forEachPiece(0, put.directBytes(), (ns, physical, logical, bytes) -> dma(ns, physical, logical, bytes));
 *     put.writeTail(hostCopyOfTheLastBytes);      // the bytes past directBytes(), from host memory
 *     put.hash(hostCopyOfEveryByteInOrder);       // what the record's CRCs and ETag describe
 *     final ObjectRecord record = put.commit();   // flushes the namespaces, then journals the record
 * }
 * }</pre>
 *
 * <p>Only whole blocks are left to the caller ({@link #directBytes()}, the size rounded down to
 * 4 KiB), because direct I/O moves whole blocks; the tail is written here, zero-padded, as a put
 * session writes its last buffer. The caller must finish every write before {@link #commit()} or
 * {@link #close()} (an abort frees the extents for other objects).
 *
 * <p>Threading: one thread at a time. Resources: at most one block of native memory while open.
 */
public final class DirectPut implements AutoCloseable
{
    private final ObjectWriter writer;
    private final String key;
    private final ObjectMetadata meta;
    private final long sizeBytes;
    private final ObjectLayout layout;
    private final MessageDigest md5 = Bytes.md5();
    private final ChunkCrcs crcs;
    private long hashedBytes;
    private boolean tailWritten;
    private boolean open = true;

    DirectPut(final ObjectWriter writer, final String key, final ObjectMetadata meta, final long sizeBytes)
    {
        this.writer = writer;
        this.key = key;
        this.meta = meta;
        this.sizeBytes = sizeBytes;
        this.crcs = new ChunkCrcs(writer.chunkShift(sizeBytes), ObjectWriter.MAX_CHUNKS);
        this.layout = writer.allocate(sizeBytes);
    }

    /** @return the key. */
    public String key()
    {
        return key;
    }

    /** @return the object's size. */
    public long sizeBytes()
    {
        return sizeBytes;
    }

    /** @return where the object's bytes go (namespace index = the store's target index). */
    public ObjectLayout layout()
    {
        return layout;
    }

    /** @return the leading bytes the caller writes itself: the size rounded down to whole blocks. */
    public long directBytes()
    {
        return sizeBytes & -Bytes.BLOCK;
    }

    /**
     * Writes the bytes after {@link #directBytes()} (fewer than one block), zero-padded.
     *
     * @param tail exactly {@code sizeBytes() - directBytes()} bytes (heap or native).
     */
    public void writeTail(final MemorySegment tail)
    {
        ensureOpen();
        final long tailBytes = sizeBytes - directBytes();
        if (tail.byteSize() != tailBytes)
        {
            throw fail(LayoutErrors.error(ErrorCode.SIZE_MISMATCH,
                "direct put of " + key + " has a tail of " + tailBytes + " bytes, not " + tail.byteSize()));
        }
        if (tailBytes > 0)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment block = arena.allocate(Bytes.BLOCK, Bytes.BLOCK);
                MemorySegment.copy(tail, 0, block, 0, tailBytes);
                new StagedWrite(writer.namespaces).set(layout, block, directBytes(), tailBytes).runHere();
            }
            catch (final RuntimeException e)
            {
                throw fail(e);
            }
        }
        tailWritten = true;
    }

    /**
     * Reads back what the extents hold (from the store's namespaces, not the caller's writes in
     * flight): for a caller that checks what reached the media before it commits.
     *
     * @param logicalOffset where to start; a multiple of 4096.
     * @param lengthBytes   bytes wanted; the range must lie within the object.
     * @param dst           block-aligned memory of at least {@code lengthBytes} rounded up to a block.
     */
    public void readBack(final long logicalOffset, final long lengthBytes, final MemorySegment dst)
    {
        ensureOpen();
        if (logicalOffset % Bytes.BLOCK != 0 || logicalOffset < 0 || lengthBytes < 0 || logicalOffset > sizeBytes - lengthBytes
            || dst.byteSize() < Bytes.roundUp(lengthBytes, Bytes.BLOCK))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "read back of " + lengthBytes + " bytes at " + logicalOffset
                + " of the " + sizeBytes + "-byte direct put of " + key + " into " + dst.byteSize() + " bytes");
        }
        layout.forEachPiece(logicalOffset, lengthBytes, (ns, physical, logical, bytes) ->
            writer.namespaces.get(ns).readFully(dst.asSlice(logical - logicalOffset, Bytes.roundUp(bytes, Bytes.BLOCK)), physical));
    }

    /**
     * Feeds the next bytes of the object to the checksums (CRC-32C per chunk, MD5 for the ETag).
     *
     * @param bytes the next bytes, in order (heap or native).
     */
    public void hash(final MemorySegment bytes)
    {
        ensureOpen();
        if (hashedBytes + bytes.byteSize() > sizeBytes)
        {
            throw fail(LayoutErrors.error(ErrorCode.SIZE_MISMATCH, "direct put of " + key + " was declared as "
                + sizeBytes + " bytes but more were hashed"));
        }
        md5.update(bytes.asByteBuffer());
        crcs.update(bytes, 0, bytes.byteSize());
        hashedBytes += bytes.byteSize();
    }

    /**
     * Publishes the object (flushing the namespaces first, so the caller's writes are durable) in
     * one journal record; returns once durable.
     *
     * @return the published record.
     * @throws ConduitException {@code SIZE_MISMATCH} when not every byte was hashed or the tail not
     *                          written; nothing is published and {@link #close()} frees the space.
     */
    public ObjectRecord commit()
    {
        ensureOpen();
        final ObjectRecord draft;
        final byte[] record;
        try
        {
            if (hashedBytes != sizeBytes || !tailWritten && directBytes() != sizeBytes)
            {
                throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH, "direct put of " + key + " hashed " + hashedBytes + " of "
                    + sizeBytes + " bytes" + (tailWritten ? "" : " and did not write its tail"));
            }
            draft = new ObjectRecord(key, 0, sizeBytes, writer.clockMs.getAsLong(), md5.digest(), meta.contentType(),
                meta.userMetadata(), crcs.chunkShift(), crcs.finish(), layout, 0, PutSession.newVersion(meta.versioning()));
            record = ObjectRecordDescriptor.encode(draft);
        }
        catch (final RuntimeException e)
        {
            throw fail(e);
        }
        open = false;                                  // the committer owns the space from here
        writer.counters.add(StoreCounter.BYTES_WRITTEN, sizeBytes);
        try
        {
            return draft.withVersion(writer.committer.commit(record, layout, CommitCondition.NONE, null, meta.versioning(), null, null, null));
        }
        catch (final RuntimeException e)
        {
            writer.counters.increment(StoreCounter.PUT_FAILURES);
            throw e;
        }
    }

    /** Frees the space unless committed; the caller's writes must have finished. */
    @Override
    public void close()
    {
        if (open)
        {
            open = false;
            writer.allocator.free(layout.extents());
        }
    }

    private RuntimeException fail(final RuntimeException e)
    {
        if (open)
        {
            writer.counters.increment(StoreCounter.PUT_FAILURES);
        }
        return e;
    }

    private void ensureOpen()
    {
        if (!open)
        {
            throw new IllegalStateException("direct put of " + key + " was already committed or closed");
        }
    }
}
