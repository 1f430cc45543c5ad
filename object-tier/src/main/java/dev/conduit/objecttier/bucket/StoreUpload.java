package dev.conduit.objecttier.bucket;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import dev.conduit.blocklayout.PutSession;
import dev.conduit.core.ConduitException;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * An {@link ObjectUpload} over one store {@link PutSession}: appends go straight to the session;
 * the commit is the caller's {@link Publisher}, which knows what must hold for the bytes to be
 * published (the bucket still exists, the multipart upload is still in progress) and under which
 * lock. Whatever the publisher does, the session is aborted unless it committed.
 *
 * <pre>{@code
 * try (ObjectUpload upload = buckets.beginPut("b", "k", S3Metadata.EMPTY, length, false))
 * {
 *     while (body.hasMore())
 *     {
 *         upload.append(body.next());
 *     }
 *     return upload.commit(length, contentMd5);
 * }                                  // close() aborts an upload that was not committed
 * }</pre>
 *
 * <p>Threading: one thread at a time, as the session.
 */
final class StoreUpload implements ObjectUpload
{
    /** Publishes a session's bytes. */
    @FunctionalInterface
    interface Publisher
    {
        /**
         * @param session           the session with every byte appended.
         * @param expectedSizeBytes the client's declared size, or -1.
         * @param expectedMd5       the client's Content-MD5, or null.
         * @param checksums         verified checksums to store in the same commit; empty for none.
         * @param note              for the store's commit companion, or null.
         * @return what was published.
         */
        S3Object publish(PutSession session, long expectedSizeBytes, byte[] expectedMd5, Map<String, String> checksums, Object note);
    }

    private final PutSession session;
    private final long declaredSizeBytes;
    private final String resource;
    private final Publisher publisher;

    StoreUpload(final PutSession session, final long declaredSizeBytes, final String resource, final Publisher publisher)
    {
        this.session = session;
        this.declaredSizeBytes = declaredSizeBytes;
        this.resource = resource;
        this.publisher = publisher;
    }

    @Override
    public void append(final MemorySegment bytes)
    {
        if (declaredSizeBytes >= 0 && session.appendedBytes() + bytes.byteSize() > declaredSizeBytes)
        {
            // Checked here, not by the session, because S3 calls this EntityTooLarge and a short body IncompleteBody.
            session.abort();
            throw new S3Exception(S3Error.EntityTooLarge,
                "The body is longer than the " + declaredSizeBytes + " bytes declared", resource);
        }
        try
        {
            session.append(bytes);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, resource);
        }
    }

    @Override
    public long appendedBytes()
    {
        return session.appendedBytes();
    }

    @Override
    public S3Object commit(final long expectedSizeBytes, final byte[] expectedMd5)
    {
        return commit(expectedSizeBytes, expectedMd5, Map.of());
    }

    @Override
    public S3Object commit(final long expectedSizeBytes, final byte[] expectedMd5, final Map<String, String> checksums)
    {
        return commit(expectedSizeBytes, expectedMd5, checksums, null);
    }

    @Override
    public S3Object commit(final long expectedSizeBytes, final byte[] expectedMd5, final Map<String, String> checksums, final Object note)
    {
        try
        {
            return publisher.publish(session, expectedSizeBytes, expectedMd5, checksums, note);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, resource);
        }
        finally
        {
            session.abort();
        }
    }

    @Override
    public void abort()
    {
        session.abort();
    }

    @Override
    public void close()
    {
        session.abort();
    }
}
