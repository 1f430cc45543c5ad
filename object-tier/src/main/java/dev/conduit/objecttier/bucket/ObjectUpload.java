package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The body of one PutObject or UploadPart on its way into the store: bytes are appended as they
 * arrive (nothing buffers the whole object) and become visible only at {@link #commit}. Closing
 * without committing aborts and frees everything written.
 */
public interface ObjectUpload extends AutoCloseable
{
    /**
     * @param bytes the next bytes; copied before this returns. May block while the previous
     *              buffer is written, so call it off the event loop.
     */
    void append(MemorySegment bytes);

    /** @return bytes appended so far. */
    long appendedBytes();

    /**
     * Makes the object (or part) visible.
     *
     * @param expectedSizeBytes the size the client declared, or -1 when unknown.
     * @param expectedMd5       the Content-MD5 the client sent (16 bytes), or {@code null}.
     * @return what was stored: for a part, its bucket/key are the upload's and its ETag the part's.
     * @throws dev.conduit.objecttier.S3Exception {@code BadDigest}, {@code IncompleteBody},
     *         {@code PreconditionFailed} (a conditional PUT lost), {@code NoSuchUpload}, ...
     */
    S3Object commit(long expectedSizeBytes, byte[] expectedMd5);

    /**
     * {@link #commit(long, byte[])} that stores {@code checksums} with the object in the same commit:
     * for checksums known only after the body (an aws-chunked trailer), so that no reader sees the
     * object without them and the PUT costs one store commit, not two.
     *
     * @param expectedSizeBytes the size the client declared, or -1 when unknown.
     * @param expectedMd5       the Content-MD5 the client sent (16 bytes), or {@code null}.
     * @param checksums         the verified checksums of the whole object (algorithm name → base64); they
     *                          replace those given at the start; empty keeps those.
     * @return what was stored.
     * @throws dev.conduit.objecttier.S3Exception as {@link #commit(long, byte[])}, and
     *         {@code MetadataTooLarge} when the checksums do not fit beside the rest of the metadata
     *         (nothing is then stored).
     */
    S3Object commit(long expectedSizeBytes, byte[] expectedMd5, Map<String, String> checksums);

    /**
     * {@link #commit(long, byte[], Map)} that hands {@code note} to the store's commit companion
     * (the audit log), so that what it records about this write is journaled with the write itself.
     * An upload that cannot carry a note (a part) commits without it; the note then stays unsealed.
     *
     * @param expectedSizeBytes the size the client declared, or -1 when unknown.
     * @param expectedMd5       the Content-MD5 the client sent (16 bytes), or {@code null}.
     * @param checksums         as for {@link #commit(long, byte[], Map)}.
     * @param note              for the store's commit companion, or null.
     * @return what was stored.
     */
    default S3Object commit(long expectedSizeBytes, byte[] expectedMd5, Map<String, String> checksums, Object note)
    {
        return commit(expectedSizeBytes, expectedMd5, checksums);
    }

    /** Discards everything appended; idempotent. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
