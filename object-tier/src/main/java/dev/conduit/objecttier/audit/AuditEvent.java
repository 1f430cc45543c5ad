package dev.conduit.objecttier.audit;

/**
 * What the server knows of one mutating request when it answers it: the part of an
 * {@link AuditEntry} that does not depend on the chain.
 *
 * @param timeMs     when the request was answered (epoch milliseconds).
 * @param accessKey  who signed it ({@code ""} when anonymous).
 * @param operation  the S3 operation name ({@code PutObject}).
 * @param bucket     the bucket ({@code ""} for none).
 * @param key        the object key ({@code ""} for a bucket-level request).
 * @param versionId  the version the request created or removed ({@code ""} when none was reported).
 * @param etag       the ETag it reported ({@code ""} for none).
 * @param status     the HTTP status it was answered with.
 * @param error      the S3 error code ({@code ""} on success).
 * @param requestId  the request's x-amz-request-id, to join with the access log.
 */
public record AuditEvent(
    long timeMs,
    String accessKey,
    String operation,
    String bucket,
    String key,
    String versionId,
    String etag,
    int status,
    String error,
    String requestId)
{
    /** Refuses nulls, so every stored entry has the same fields. */
    public AuditEvent
    {
        if (accessKey == null || operation == null || bucket == null || key == null || versionId == null
            || etag == null || error == null || requestId == null)
        {
            throw new IllegalArgumentException("audit event fields must not be null; use \"\"");
        }
    }
}
