package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: 16 upper-case hex digits, a random per-process prefix and a counter, so ids are
 * unique within a run and unlikely to repeat across restarts. {@code x-amz-id-2} is the id again,
 * base64-encoded with a host tag, as S3 sends an opaque host id.
 */
final class RequestIds
{
    private static final long PREFIX = ThreadLocalRandom.current().nextLong() & 0xFFFF_FF00_0000_0000L;
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestIds()
    {
    }

    /** @return a new request id. */
    static String next()
    {
        final String hex = Long.toHexString(PREFIX | (COUNTER.incrementAndGet() & 0xFF_FFFF_FFFFL)).toUpperCase();
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * @param requestId a request id.
     * @return the matching x-amz-id-2 value.
     */
    static String hostId(final String requestId)
    {
        return Base64.getEncoder().encodeToString(("conduit/" + requestId).getBytes(StandardCharsets.US_ASCII));
    }
}
