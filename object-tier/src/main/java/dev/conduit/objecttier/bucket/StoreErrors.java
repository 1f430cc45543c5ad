package dev.conduit.objecttier.bucket;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The one place where store failures become S3 errors. Where a store code means something more
 * precise in context (a missing part is {@code InvalidPart}, not {@code NoSuchKey}), the caller
 * checks that case first and only the rest reaches this mapping.
 *
 * <table>
 * <caption>Store code → S3 error</caption>
 * <tr><td>NOT_FOUND</td><td>NoSuchKey</td></tr>
 * <tr><td>PRECONDITION_FAILED, ALREADY_EXISTS</td><td>PreconditionFailed (412)</td></tr>
 * <tr><td>DIGEST_MISMATCH</td><td>BadDigest</td></tr>
 * <tr><td>SIZE_MISMATCH</td><td>IncompleteBody (a body longer than declared is refused before the store sees it)</td></tr>
 * <tr><td>KEY_TOO_LONG</td><td>KeyTooLongError</td></tr>
 * <tr><td>INVALID_KEY, INVALID_ARGUMENT</td><td>InvalidArgument</td></tr>
 * <tr><td>METADATA_TOO_LARGE</td><td>MetadataTooLarge</td></tr>
 * <tr><td>NO_SPACE</td><td>ServiceUnavailable (503)</td></tr>
 * <tr><td>TRY_AGAIN, RING_FULL, TIMED_OUT</td><td>SlowDown (503)</td></tr>
 * <tr><td>other UNAVAILABLE and FATAL codes (closed, failed store)</td><td>ServiceUnavailable (503)</td></tr>
 * <tr><td>everything else (CORRUPT_EXTENT, IO_ERROR, ...)</td><td>InternalError (500)</td></tr>
 * </table>
 *
 * <p>Why 503 for a full store: S3 has no "disk full" code. 503 is the status S3 clients know
 * means "not now, this server, retry with back-off", which is the truth: space comes back as
 * uploads are aborted and objects deleted, and a client behind a load balancer may reach a
 * server with room. The message says plainly that the store is full, so an operator reading
 * the client's error knows why. Other messages are S3's defaults: the store's own text names
 * internal store keys, so it travels only as the exception's cause.
 */
final class StoreErrors
{
    private StoreErrors()
    {
    }

    /**
     * @param e        a store failure.
     * @param resource the bucket, key or upload it concerns.
     * @return the S3 error to answer, with the store's failure as its cause.
     */
    static S3Exception toS3(final ConduitException e, final String resource)
    {
        final S3Error error = switch (e.code())
        {
            case NOT_FOUND -> S3Error.NoSuchKey;
            case PRECONDITION_FAILED, ALREADY_EXISTS -> S3Error.PreconditionFailed;
            case DIGEST_MISMATCH -> S3Error.BadDigest;
            case SIZE_MISMATCH -> S3Error.IncompleteBody;
            case KEY_TOO_LONG -> S3Error.KeyTooLongError;
            case INVALID_KEY, INVALID_ARGUMENT -> S3Error.InvalidArgument;
            case METADATA_TOO_LARGE -> S3Error.MetadataTooLarge;
            case TRY_AGAIN, RING_FULL, TIMED_OUT -> S3Error.SlowDown;
            case NO_SPACE, STORE_CLOSED, STORE_FAILED, SHUTDOWN, SCHEDULER_CLOSED, NAMESPACE_CLOSED, DEVICE_UNAVAILABLE,
                DEVICE_FAILED, STORE_LOCKED -> S3Error.ServiceUnavailable;
            default -> S3Error.InternalError;
        };
        // The store's own message names store keys and versions; it stays in the cause, for the log.
        final String message = e.code() == ErrorCode.NO_SPACE
            ? "The store is full: there is no space for this write."
            : error.defaultMessage();
        return new S3Exception(error, message, resource, e);
    }
}
