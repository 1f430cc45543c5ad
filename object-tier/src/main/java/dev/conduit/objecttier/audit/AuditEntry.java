package dev.conduit.objecttier.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One link of the audit chain: a request ({@link AuditEvent}) with its sequence number, the hash of
 * the entry before it and its own hash. The hash is SHA-256 over every other field in a fixed,
 * length-prefixed binary form, so editing any field, dropping an entry or reordering two breaks
 * the chain at that point ({@link AuditVerifier}).
 *
 * @param seq       1 for the first entry, then +1 for each.
 * @param time      when the request was answered (ISO-8601, UTC, milliseconds).
 * @param timeMs    the same instant in epoch milliseconds (what filters compare).
 * @param accessKey see {@link AuditEvent}.
 * @param operation see {@link AuditEvent}.
 * @param bucket    see {@link AuditEvent}.
 * @param key       see {@link AuditEvent}.
 * @param versionId see {@link AuditEvent}.
 * @param etag      see {@link AuditEvent}.
 * @param status    see {@link AuditEvent}.
 * @param error     see {@link AuditEvent}.
 * @param requestId see {@link AuditEvent}.
 * @param prev      the previous entry's hash ({@link #GENESIS} for the first), lower-case hex.
 * @param hash      this entry's hash, lower-case hex.
 */
@JsonPropertyOrder({"seq", "time", "timeMs", "accessKey", "operation", "bucket", "key", "versionId", "etag", "status",
    "error", "requestId", "prev", "hash"})
public record AuditEntry(
    long seq,
    String time,
    long timeMs,
    String accessKey,
    String operation,
    String bucket,
    String key,
    String versionId,
    String etag,
    int status,
    String error,
    String requestId,
    String prev,
    String hash)
{
    /** The {@code prev} of entry 1: 32 zero bytes. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    /**
     * @param seq   the entry's sequence number.
     * @param event the request.
     * @param prev  the previous entry's hash.
     * @return the sealed entry, its hash computed.
     */
    public static AuditEntry seal(final long seq, final AuditEvent event, final String prev)
    {
        final AuditEntry unsealed = new AuditEntry(seq, java.time.Instant.ofEpochMilli(event.timeMs()).toString(),
            event.timeMs(), event.accessKey(), event.operation(), event.bucket(), event.key(), event.versionId(),
            event.etag(), event.status(), event.error(), event.requestId(), prev, "");
        return unsealed.withHash(unsealed.computeHash());
    }

    /** @return the hash this entry's fields give, whatever its {@link #hash} says. */
    public String computeHash()
    {
        final MessageDigest sha256;
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        final ByteBuffer number = ByteBuffer.allocate(Long.BYTES);
        sha256.update(number.putLong(0, seq).array());
        update(sha256, time);
        sha256.update(number.putLong(0, timeMs).array());
        update(sha256, accessKey);
        update(sha256, operation);
        update(sha256, bucket);
        update(sha256, key);
        update(sha256, versionId);
        update(sha256, etag);
        sha256.update(number.putLong(0, status).array());
        update(sha256, error);
        update(sha256, requestId);
        update(sha256, prev);
        return HEX.formatHex(sha256.digest());
    }

    private AuditEntry withHash(final String sealedHash)
    {
        return new AuditEntry(seq, time, timeMs, accessKey, operation, bucket, key, versionId, etag, status, error,
            requestId, prev, sealedHash);
    }

    // Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike.
    private static void update(final MessageDigest digest, final String field)
    {
        final byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(0, bytes.length).array());
        digest.update(bytes);
    }
}
