package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * A put whose bytes arrive in pieces, of a size known up front or not at all: append chunks of any
 * size in order, then commit (optionally checking the size and MD5 the client announced) or abort.
 *
 * <pre>{@code
 * try (PutSession put = store.openPut("ckpt/step-1000", new ObjectMetadata("application/x-pytorch", Map.of())))
 * {
 *     while (source.hasMore())
 *     {
 *         put.append(source.next());            // MemorySegment or byte[] of any size
 *     }
 *     final ObjectRecord record = put.commit(PutSession.UNKNOWN_SIZE, null);
 * }                                             // close() aborts a session that was not committed
 * }</pre>
 *
 * <p>Bytes are copied into a 1 MiB aligned staging buffer (borrowed from the store's {@link StagingPool}) and hashed (MD5 for the ETag, CRC-32C per
 * chunk) as they are appended; a full buffer is written to the object's extents on a virtual
 * thread while the next one fills, so hashing overlaps the writes; the last buffer (all of a small
 * put) is written by the group commit with the journal batch that publishes the object, so the
 * committing thread waits once, not for its data write first. Space is allocated as the data
 * arrives: exactly, when the size was declared ({@link ObjectStore#openPut(String, ObjectMetadata, long)})
 * or the object ends within the first buffer, else by growing one column per namespace and trimming
 * it at commit. Nothing is visible before {@link #commit}: the record is published only then, in
 * one journal record, exactly as a whole-object put is, with the metadata given at open or, for
 * what is known only at the end, the metadata given to
 * {@link #commit(long, byte[], CommitCondition, ObjectMetadata)}. {@link #abort()} (or a failure) frees every
 * extent taken; after a crash the space is free again on the next open, because free space is
 * rebuilt from the catalog.
 *
 * <p>Threading: one thread at a time (any thread); the background write is the session's own.
 * A session holds 1-2 MiB of native memory until it is committed, aborted or closed.
 */
public final class PutSession implements AutoCloseable
{
    /** The size of a put whose size is not known, and "don't check" for {@link #commit(long, byte[])}. */
    public static final long UNKNOWN_SIZE = -1;

    private static final int OPEN = 0;
    private static final int COMMITTED = 1;
    private static final int ABORTED = 2;

    private final ObjectWriter writer;
    private final String key;
    private final ObjectMetadata meta;
    private final long declaredSizeBytes;
    private final StagingMemory memory;
    private final MemorySegment[] staging = new MemorySegment[2];
    // Null once the session publishes an ETag it was given (adoptMultipartEtag): no MD5 pass then.
    private MessageDigest md5 = Bytes.md5();
    private final ChunkCrcs crcs;
    private final StagedWrite write;
    private ObjectLayout fixedLayout;
    private StreamingLayout streamingLayout;
    private int current;
    private long filledBytes;
    private long flushedBytes;
    private int state = OPEN;
    private ComposedParts composedParts;
    private byte[] multipartEtag;
    private int multipartPartCount;

    PutSession(final ObjectWriter writer, final String key, final ObjectMetadata meta, final long declaredSizeBytes)
    {
        this.writer = writer;
        this.key = key;
        this.meta = meta;
        this.declaredSizeBytes = declaredSizeBytes;
        this.write = new StagedWrite(writer.namespaces);
        this.memory = new StagingMemory(writer.staging);
        final boolean known = declaredSizeBytes != UNKNOWN_SIZE;
        this.crcs = new ChunkCrcs(writer.chunkShift(known ? declaredSizeBytes : 0), ObjectWriter.MAX_CHUNKS);
        try
        {
            final long stagingBytes = known
                ? Math.min(ObjectWriter.STAGING_BYTES, Bytes.roundUp(Math.max(declaredSizeBytes, 1), Bytes.BLOCK))
                : ObjectWriter.STAGING_BYTES;
            staging[0] = memory.allocate(0, stagingBytes);
            if (known)
            {
                fixedLayout = writer.allocate(declaredSizeBytes);
            }
        }
        catch (final RuntimeException e)
        {
            memory.release();
            throw e;
        }
    }

    /** @return the key this session writes. */
    public String key()
    {
        return key;
    }

    /** @return bytes appended so far. */
    public long appendedBytes()
    {
        return flushedBytes + filledBytes;
    }

    /**
     * Appends the next bytes of the object.
     *
     * @param src bytes (heap or native); copied before this returns, so it may be reused at once.
     * @throws ConduitException {@code SIZE_MISMATCH} past the declared size, {@code NO_SPACE}, or an
     *                          I/O failure; the session is then aborted and its space freed.
     */
    public void append(final MemorySegment src)
    {
        ensureOpen();
        try
        {
            final long lengthBytes = src.byteSize();
            if (declaredSizeBytes != UNKNOWN_SIZE && appendedBytes() + lengthBytes > declaredSizeBytes)
            {
                throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH,
                    "put of " + key + " was declared as " + declaredSizeBytes + " bytes but more were appended");
            }
            long at = 0;
            while (at < lengthBytes)
            {
                if (filledBytes == staging[current].byteSize())
                {
                    flushFullBuffer();
                }
                final MemorySegment buffer = staging[current];
                final long take = Math.min(lengthBytes - at, buffer.byteSize() - filledBytes);
                MemorySegment.copy(src, at, buffer, filledBytes, take);
                if (md5 != null)
                {
                    md5.update(buffer.asSlice(filledBytes, take).asByteBuffer());
                }
                crcs.update(buffer, filledBytes, take);
                filledBytes += take;
                at += take;
            }
            writer.counters.add(StoreCounter.BYTES_WRITTEN, lengthBytes);
        }
        catch (final RuntimeException e)
        {
            throw fail(e);
        }
    }

    /**
     * @param src    bytes.
     * @param offset start in {@code src}.
     * @param length count.
     * @see #append(MemorySegment)
     */
    public void append(final byte[] src, final int offset, final int length)
    {
        append(MemorySegment.ofArray(src).asSlice(offset, length));
    }

    /**
     * Publishes the object without checks.
     *
     * @return the published record.
     * @see #commit(long, byte[])
     */
    public ObjectRecord commit()
    {
        return commit(UNKNOWN_SIZE, null);
    }

    /**
     * Writes the last bytes, checks what the client announced, and publishes the object atomically
     * (replacing any previous version of the key). Returns once it is durable.
     *
     * @param expectedSizeBytes the size the client announced, or {@link #UNKNOWN_SIZE} to skip the check.
     * @param expectedMd5       the MD5 the client announced (16 bytes), or null to skip the check.
     * @return the published record.
     * @throws ConduitException {@code SIZE_MISMATCH} (or a declared size not reached),
     *                          {@code DIGEST_MISMATCH}, {@code NO_SPACE}, {@code STORE_FAILED}, I/O
     *                          failures; the object is then not published and its space freed.
     */
    public ObjectRecord commit(final long expectedSizeBytes, final byte[] expectedMd5)
    {
        return commit(expectedSizeBytes, expectedMd5, CommitCondition.NONE);
    }

    /**
     * {@link #commit(long, byte[])} that publishes only when {@code condition} holds for the key's
     * current version at the moment of publishing (checked by the commit pipeline in the same step
     * that journals the record, so no other write of the key can slip in between).
     *
     * @param expectedSizeBytes the size the client announced, or {@link #UNKNOWN_SIZE} to skip the check.
     * @param expectedMd5       the MD5 the client announced (16 bytes), or null to skip the check.
     * @param condition         what must hold of the key's current version, e.g. {@link CommitCondition#IF_ABSENT}.
     * @return the published record.
     * @throws ConduitException {@code PRECONDITION_FAILED} naming the key and what held (nothing is
     *                          published and the session's space is freed), or any failure of
     *                          {@link #commit(long, byte[])}.
     */
    public ObjectRecord commit(final long expectedSizeBytes, final byte[] expectedMd5, final CommitCondition condition)
    {
        return commit(expectedSizeBytes, expectedMd5, condition, null);
    }

    /**
     * {@link #commit(long, byte[], CommitCondition)} that publishes {@code metadataAtCommit} instead
     * of the metadata given when the session was opened: for what is known only once the last byte
     * has arrived (an S3 checksum sent in an aws-chunked trailer). The record is built here anyway,
     * so this costs nothing over a plain commit: one journal record, and no reader ever sees the
     * object without this metadata.
     *
     * <pre>{@code
     * final ObjectRecord record = put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.NONE,
     *     new ObjectMetadata("application/octet-stream", Map.of("c:CRC32", trailerCrc)));
     * }</pre>
     *
     * @param expectedSizeBytes the size the client announced, or {@link #UNKNOWN_SIZE} to skip the check.
     * @param expectedMd5       the MD5 the client announced (16 bytes), or null to skip the check.
     * @param condition         what must hold of the key's current version, e.g. {@link CommitCondition#IF_ABSENT}.
     * @param metadataAtCommit  the content type and user metadata to publish (bounded by {@link ObjectMetadata}'s
     *                          own checks when it was made), or null for the metadata given at open.
     * @return the published record.
     * @throws ConduitException any failure of {@link #commit(long, byte[], CommitCondition)}; the
     *                          object is then not published and its space freed.
     */
    public ObjectRecord commit(
        final long expectedSizeBytes, final byte[] expectedMd5, final CommitCondition condition, final ObjectMetadata metadataAtCommit)
    {
        return commit(expectedSizeBytes, expectedMd5, condition, metadataAtCommit, null);
    }

    /**
     * {@link #commit(long, byte[], CommitCondition, ObjectMetadata)} that carries {@code note} to the
     * store's {@link CommitCompanion}: when the record publishes, the companion's object describing
     * it (with the version it got) is journaled in the same batch, so both are durable when this
     * returns. A write its condition refuses publishes nothing and its note is not sealed; nor is
     * the note of a write committed while no companion is attached (the write publishes without it).
     *
     * @param expectedSizeBytes the size the client announced, or {@link #UNKNOWN_SIZE} to skip the check.
     * @param expectedMd5       the MD5 the client announced (16 bytes), or null to skip the check.
     * @param condition         what must hold of the key's current version, e.g. {@link CommitCondition#IF_ABSENT}.
     * @param metadataAtCommit  the metadata to publish, or null for the metadata given at open.
     * @param note              handed to the companion with the published record, or null for none; a
     *                          {@link CommitRider} publishes its 0-byte object in the same batch and hands its own note on.
     * @return the published record.
     * @throws ConduitException any failure of {@link #commit(long, byte[], CommitCondition)}, or the
     *                          failure to seal or store the companion's object (nothing is then published).
     */
    public ObjectRecord commit(
        final long expectedSizeBytes,
        final byte[] expectedMd5,
        final CommitCondition condition,
        final ObjectMetadata metadataAtCommit,
        final Object note)
    {
        // The last buffer is written by the group commit, with its batch's other writes (see BatchWrites).
        final BatchWrites lastBuffer = new BatchWrites();
        final Prepared prepared = prepare(expectedSizeBytes, expectedMd5, metadataAtCommit, lastBuffer);
        try
        {
            return prepared.draft().withVersion(writer.committer.commit(
                prepared.record(), prepared.layout(), condition, composedParts, prepared.mode(), note, prepared.draft(), lastBuffer));
        }
        catch (final RuntimeException e)
        {
            writer.counters.increment(StoreCounter.PUT_FAILURES);
            throw e;
        }
        finally
        {
            // The commit returns only once its batch's writes are done (or were never issued).
            memory.release();
        }
    }

    /**
     * A session's bytes written and its record built, not yet published.
     *
     * @param record the encoded record (version to be stamped).
     * @param layout the space it owns.
     * @param draft  the record before stamping.
     * @param mode   its versioning.
     */
    record Prepared(byte[] record, ObjectLayout layout, ObjectRecord draft, VersioningMode mode)
    {
    }

    /**
     * Writes the last bytes, checks what the client announced and builds the record; from here the
     * caller owns the space (it frees it when the record is not published).
     *
     * @param expectedSizeBytes the size announced, or {@link #UNKNOWN_SIZE}.
     * @param expectedMd5       the MD5 announced, or null.
     * @param metadataAtCommit  the metadata to publish, or null for the metadata given at open.
     * @return the record to publish.
     */
    Prepared prepare(final long expectedSizeBytes, final byte[] expectedMd5, final ObjectMetadata metadataAtCommit)
    {
        return prepare(expectedSizeBytes, expectedMd5, metadataAtCommit, null);
    }

    /**
     * {@link #prepare(long, byte[], ObjectMetadata)} that, with {@code lastBuffer} given, adds the last
     * buffer's write to it instead of writing it: the caller issues it and then releases the staging
     * memory ({@link #commit} does both, through the group commit).
     */
    private Prepared prepare(final long expectedSizeBytes, final byte[] expectedMd5, final ObjectMetadata metadataAtCommit,
        final BatchWrites lastBuffer)
    {
        ensureOpen();
        final ObjectMetadata published = metadataAtCommit == null ? meta : metadataAtCommit;
        final long sizeBytes = appendedBytes();
        final Prepared prepared;
        try
        {
            checkSize(declaredSizeBytes, sizeBytes);
            checkSize(expectedSizeBytes, sizeBytes);
            if (md5 == null && expectedMd5 != null)
            {
                throw new IllegalArgumentException("put of " + key + " adopted a multipart ETag: no content MD5 to check");
            }
            final byte[] digest = md5 == null ? multipartEtag : md5.digest();
            if (expectedMd5 != null && !Arrays.equals(expectedMd5, digest))
            {
                throw LayoutErrors.error(ErrorCode.DIGEST_MISMATCH, "put of " + key + ": the content's MD5 is " +
                    HexFormat.of().formatHex(digest) + ", the client announced " + HexFormat.of().formatHex(expectedMd5));
            }
            writeLastBuffer(sizeBytes, lastBuffer);
            final ObjectLayout layout = fixedLayout != null ? fixedLayout : streamingLayout.finish(sizeBytes);
            fixedLayout = layout;
            streamingLayout = null;
            final boolean composed = composedParts != null;
            final int partCount = composed ? composedParts.keys().length : multipartPartCount;
            final VersioningMode mode = published.versioning() != VersioningMode.OFF ? published.versioning() : meta.versioning();
            final ObjectRecord draft = new ObjectRecord(key, 0, sizeBytes, writer.clockMs.getAsLong(), partCount > 0 ? multipartEtag : digest,
                published.contentType(), published.userMetadata(), crcs.chunkShift(), crcs.finish(), layout,
                partCount, newVersion(mode));
            prepared = new Prepared(ObjectRecordDescriptor.encode(draft), layout, draft, mode);
        }
        catch (final RuntimeException e)
        {
            throw fail(e);
        }
        // From here the committer owns the space: it frees it when the record is not published.
        state = COMMITTED;
        if (lastBuffer == null)
        {
            memory.release();
        }
        return prepared;
    }

    /**
     * @param mode the write's versioning.
     * @return a new version's place in its chain: an id to be assigned at commit when versioned, else the null version.
     */
    static ObjectRecord.Versioning newVersion(final VersioningMode mode)
    {
        return mode == VersioningMode.ENABLED ? new ObjectRecord.Versioning(true, 0, false) : ObjectRecord.Versioning.NULL_VERSION;
    }

    /**
     * Makes this session the copy of a compose whose parts could not be joined in place: the
     * commit publishes the record with the multipart ETag and removes the parts in its journal batch.
     *
     * @param parts the parts, with the versions the copy was made from.
     * @param etag  the multipart ETag (MD5 of the parts' ETags).
     */
    void composing(final ComposedParts parts, final byte[] etag)
    {
        this.composedParts = parts;
        this.multipartEtag = etag.clone();
    }

    /**
     * Publishes the object under a multipart ETag it already has instead of the MD5 of its bytes,
     * and skips the MD5 pass (the CRC-32C per chunk is still computed): for a copy of an object
     * whose ETag was made elsewhere (a cold tier's multipart upload), which no MD5 of the whole
     * content could reproduce and which clients of both tiers should see alike. A record with a
     * part count is not MD5-checked by {@code fsck}, as for a composed object.
     *
     * @param partsMd5  the 16 bytes of the ETag (the MD5 of the parts' MD5s).
     * @param partCount the ETag's {@code -N}, at least 1.
     * @throws IllegalStateException    after the first append, when it could no longer skip the pass.
     * @throws IllegalArgumentException for an ETag that is not 16 bytes or a part count below 1.
     */
    public void adoptMultipartEtag(final byte[] partsMd5, final int partCount)
    {
        ensureOpen();
        if (partsMd5.length != 16 || partCount < 1)
        {
            throw new IllegalArgumentException("a multipart ETag is 16 bytes and at least one part: " + partsMd5.length + " bytes, "
                + partCount + " parts");
        }
        if (appendedBytes() > 0)
        {
            throw new IllegalStateException("put of " + key + ": the ETag is adopted before the first byte is appended");
        }
        this.md5 = null;
        this.multipartEtag = partsMd5.clone();
        this.multipartPartCount = partCount;
    }

    /** Drops everything appended and frees the space taken; nothing was or will be visible. */
    public void abort()
    {
        if (state == OPEN)
        {
            release(null);
        }
    }

    /** Aborts the session unless it was committed. */
    @Override
    public void close()
    {
        abort();
    }

    private void flushFullBuffer()
    {
        final long endBytes = flushedBytes + filledBytes;
        final ObjectLayout layout;
        if (fixedLayout != null)
        {
            layout = fixedLayout;
        }
        else
        {
            if (streamingLayout == null)
            {
                streamingLayout = new StreamingLayout(writer.allocator, Integer.numberOfTrailingZeros(writer.geometry.stripeUnitBytes()));
            }
            writer.ensure(streamingLayout, endBytes);
            layout = streamingLayout.current();
        }
        write.await();
        write.set(layout, staging[current], flushedBytes, filledBytes).start();
        flushedBytes = endBytes;
        filledBytes = 0;
        current ^= 1;
        if (staging[current] == null)
        {
            staging[current] = memory.allocate(current, staging[current ^ 1].byteSize());
        }
    }

    private void writeLastBuffer(final long sizeBytes, final BatchWrites deferTo)
    {
        if (fixedLayout == null && streamingLayout == null)
        {
            // The whole object fitted in the first buffer: place it as a put of known size would be.
            fixedLayout = writer.allocate(sizeBytes);
        }
        else if (streamingLayout != null)
        {
            writer.ensure(streamingLayout, sizeBytes);
        }
        write.await();
        if (filledBytes > 0)
        {
            final MemorySegment buffer = staging[current];
            final long paddedBytes = Bytes.roundUp(filledBytes, Bytes.BLOCK);
            buffer.asSlice(filledBytes, paddedBytes - filledBytes).fill((byte)0);
            final ObjectLayout layout = fixedLayout != null ? fixedLayout : streamingLayout.current();
            if (deferTo != null)
            {
                deferTo.addBuffer(layout, buffer, flushedBytes, filledBytes);
            }
            else
            {
                write.set(layout, buffer, flushedBytes, filledBytes).runHere();
            }
        }
    }

    private void checkSize(final long expectedBytes, final long sizeBytes)
    {
        if (expectedBytes != UNKNOWN_SIZE && expectedBytes != sizeBytes)
        {
            throw LayoutErrors.error(ErrorCode.SIZE_MISMATCH,
                "put of " + key + " has " + sizeBytes + " bytes but " + expectedBytes + " were announced");
        }
    }

    /**
     * Ends the session because of {@code e} (counted as a failed put; the space is freed).
     *
     * @param e the failure.
     * @return {@code e}, for {@code throw session.fail(e)}.
     */
    RuntimeException fail(final RuntimeException e)
    {
        if (state == OPEN)
        {
            writer.counters.increment(StoreCounter.PUT_FAILURES);
            release(e);
        }
        return e;
    }

    /** Waits for the background write, frees the space and the staging memory. */
    private void release(final RuntimeException primary)
    {
        state = ABORTED;
        try
        {
            write.await();
        }
        catch (final RuntimeException e)
        {
            if (primary != null && primary != e)
            {
                primary.addSuppressed(e);
            }
        }
        if (fixedLayout != null)
        {
            writer.allocator.free(fixedLayout.extents());
        }
        if (streamingLayout != null)
        {
            writer.allocator.free(streamingLayout.extents());
        }
        fixedLayout = null;
        streamingLayout = null;
        memory.release();
    }

    private void ensureOpen()
    {
        if (state != OPEN)
        {
            throw new IllegalStateException("put session for " + key + " was already " + (state == COMMITTED ? "committed" : "aborted"));
        }
    }
}
