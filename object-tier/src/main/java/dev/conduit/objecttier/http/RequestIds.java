package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: 16 upper-case hex digits, a random per-process prefix and a counter, so ids are
 * unique within a run and unlikely to repeat across restarts. {@code x-amz-id-2} is the id again,
 * base64-encoded with a host tag, as S3 sends an opaque host id.
 *
 * <p>An id is a number until text is asked for: a connection writes its current request's two
 * header values into its own {@link HeaderText} (one request at a time, and a response is
 * encoded before the next request starts), and a String is made only for an error body or a log.
 */
final class RequestIds
{
    private static final long PREFIX = ThreadLocalRandom.current().nextLong() & 0xFFFF_FF00_0000_0000L;
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HOST_TAG = "conduit/".getBytes(StandardCharsets.US_ASCII);
    private static final int ID_CHARS = 16;
    private static final int HOST_ID_CHARS = (HOST_TAG.length + ID_CHARS + 2) / 3 * 4;

    private RequestIds()
    {
    }

    /** @return a new request id, as a number ({@link #text(long)} writes it). */
    static long nextValue()
    {
        return PREFIX | (COUNTER.incrementAndGet() & 0xFF_FFFF_FFFFL);
    }

    /** @return a new request id. */
    static String next()
    {
        return text(nextValue());
    }

    /**
     * @param id a request id from {@link #nextValue()}.
     * @return its text.
     */
    static String text(final long id)
    {
        final byte[] text = new byte[ID_CHARS];
        writeHex(id, text, 0);
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static void writeHex(final long id, final byte[] into, final int at)
    {
        for (int i = 0; i < ID_CHARS; i++)
        {
            into[at + i] = HEX[(int)(id >>> (ID_CHARS - 1 - i) * 4) & 0xF];
        }
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

    /**
     * One connection's request-id header values, rewritten in place for each of its requests. The
     * values are read when the response head is encoded, which is before the connection starts its
     * next request, so a header may hold them instead of a String of its own.
     *
     * <p>Threading: {@link #set} on the connection's event loop when a request starts; the values are
     * read by that request's threads and the encoder, which the start of the request happens before.
     */
    static final class HeaderText
    {
        private final byte[] plain = new byte[HOST_TAG.length + ID_CHARS];
        private final AsciiChars id = new AsciiChars(ID_CHARS);
        private final AsciiChars hostId = new AsciiChars(HOST_ID_CHARS);
        private volatile long value;

        HeaderText()
        {
            System.arraycopy(HOST_TAG, 0, plain, 0, HOST_TAG.length);
        }

        /** @param requestId the request id the values now say. */
        void set(final long requestId)
        {
            writeHex(requestId, id.bytes, 0);
            writeHex(requestId, plain, HOST_TAG.length);
            Base64.getEncoder().encode(plain, hostId.bytes);
            value = requestId;
        }

        /**
         * @param requestId a request id.
         * @return whether the values say it (they are this connection's current request's).
         */
        boolean says(final long requestId)
        {
            return value == requestId;
        }

        /** @return the x-amz-request-id value, until the next {@link #set}. */
        CharSequence id()
        {
            return id;
        }

        /** @return the x-amz-id-2 value, until the next {@link #set}. */
        CharSequence hostId()
        {
            return hostId;
        }
    }

    /** ASCII text over bytes its owner rewrites; {@link #toString()} is a copy. */
    private static final class AsciiChars implements CharSequence
    {
        private final byte[] bytes;

        AsciiChars(final int length)
        {
            this.bytes = new byte[length];
        }

        @Override
        public int length()
        {
            return bytes.length;
        }

        @Override
        public char charAt(final int index)
        {
            return (char)bytes[index];
        }

        @Override
        public CharSequence subSequence(final int start, final int end)
        {
            return toString().substring(start, end);
        }

        @Override
        public String toString()
        {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }
}
