/**
 * The audit log: an append-only, hash-chained record of every mutating S3 request (time, access
 * key, operation, bucket, key, version id, ETag, result) kept in the store itself
 * ({@link dev.conduit.objecttier.audit.AuditLog}), read back and checked by
 * {@link dev.conduit.objecttier.audit.AuditReader} and {@link dev.conduit.objecttier.audit.AuditVerifier}.
 */
package dev.conduit.objecttier.audit;
