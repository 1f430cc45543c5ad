package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;

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

    /** Discards everything appended; idempotent. */
    void abort();

    /** Aborts unless committed. */
    @Override
    void close();
}
