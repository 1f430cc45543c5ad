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
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST_TAG = "conduit/".getBytes(StandardCharsets.US_ASCII);
    private static final int ID_CHARS = 16;

    private RequestIds()
    {
    }

    /** @return a new request id. */
    static String next()
    {
        // Straight into the string's bytes: every request makes one, on the event loop.
        final long id = PREFIX | (COUNTER.incrementAndGet() & 0xFF_FFFF_FFFFL);
        final byte[] text = new byte[ID_CHARS];
        for (int i = 0; i < ID_CHARS; i++)
        {
            text[i] = HEX[(int)(id >>> (ID_CHARS - 1 - i) * 4) & 0xF];
        }
        return new String(text, StandardCharsets.US_ASCII);
    }

    /**
     * @param requestId a request id.
     * @return the matching x-amz-id-2 value.
     */
    static String hostId(final String requestId)
    {
        final byte[] plain = new byte[HOST_TAG.length + requestId.length()];
        System.arraycopy(HOST_TAG, 0, plain, 0, HOST_TAG.length);
        for (int i = 0; i < requestId.length(); i++)
        {
            plain[HOST_TAG.length + i] = (byte)requestId.charAt(i);
        }
        return new String(Base64.getEncoder().encode(plain), StandardCharsets.US_ASCII);
    }
}
