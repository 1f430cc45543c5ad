package dev.conduit.objecttier.auth;

/** Lower-case hex for signatures and hashes, without the per-call allocation of HexFormat parsing. */
final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    /**
     * @param value a string, may be null.
     * @return true when it is 64 hex digits of either case.
     */
    static boolean isSha256Hex(final String value)
    {
        if (value == null || value.length() != 64)
        {
            return false;
        }
        for (int i = 0; i < 64; i++)
        {
            if (digit(value.charAt(i)) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param c a character.
     * @return its hex value, or -1 when it is not a hex digit.
     */
    static int digit(final int c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes 2 * {@code out.length} hex digits of {@code text} from {@code offset}.
     *
     * @return false (with {@code out} partly written) when a character is not a hex digit or the text is short.
     */
    static boolean decode(final CharSequence text, final int offset, final byte[] out)
    {
        if (text.length() - offset < out.length * 2)
        {
            return false;
        }
        for (int i = 0; i < out.length; i++)
        {
            final int hi = digit(text.charAt(offset + 2 * i));
            final int lo = digit(text.charAt(offset + 2 * i + 1));
            if ((hi | lo) < 0)
            {
                return false;
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    /** Appends {@code bytes} as lower-case hex. */
    static StringBuilder append(final StringBuilder sb, final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            sb.append(DIGITS[(b >>> 4) & 0xF]).append(DIGITS[b & 0xF]);
        }
        return sb;
    }

    /** @return {@code bytes} as lower-case hex. */
    static String encode(final byte[] bytes)
    {
        return append(new StringBuilder(bytes.length * 2), bytes).toString();
    }
}
