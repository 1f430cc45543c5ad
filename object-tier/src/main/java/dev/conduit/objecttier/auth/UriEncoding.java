package dev.conduit.objecttier.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SigV4's URI encoding: every byte but the unreserved {@code A-Za-z0-9-._~} becomes {@code %XY}
 * with upper-case hex. Input is raw request-target text: {@code %XY} escapes are decoded first, so
 * a client's choice of what to escape does not change the canonical form. Characters up to U+00FF
 * are taken as single bytes (Netty reads the request line as ISO-8859-1); higher ones as UTF-8.
 */
final class UriEncoding
{
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding()
    {
    }

    /**
     * Appends the canonical form of {@code raw[start, end)}.
     *
     * @param keepSlash true for a path: a literal '/' stays a separator (an escaped %2F stays escaped).
     */
    static void appendCanonical(
        final StringBuilder out, final CharSequence raw, final int start, final int end, final boolean keepSlash)
    {
        int i = start;
        while (i < end)
        {
            final char c = raw.charAt(i);
            final int escaped = c == '%' ? escapedByte(raw, i, end) : -1;
            if (escaped >= 0)
            {
                appendByte(out, escaped);
                i += 3;
                continue;
            }
            if (c == '/' && keepSlash)
            {
                out.append('/');
            }
            else if (c <= 0xFF)
            {
                appendByte(out, c);
            }
            else
            {
                final int codePoint = Character.codePointAt(raw, i);
                for (final byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8))
                {
                    appendByte(out, b & 0xFF);
                }
                i += Character.charCount(codePoint);
                continue;
            }
            i++;
        }
    }

    /** @return the text {@code raw[start, end)} stands for, its escapes decoded as UTF-8. */
    static String decode(final CharSequence raw, final int start, final int end)
    {
        boolean plain = true;
        for (int i = start; i < end && plain; i++)
        {
            plain = raw.charAt(i) != '%' && raw.charAt(i) < 0x80;
        }
        if (plain)
        {
            return raw.subSequence(start, end).toString();
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        int i = start;
        while (i < end)
        {
            final char c = raw.charAt(i);
            final int escaped = c == '%' ? escapedByte(raw, i, end) : -1;
            if (escaped >= 0)
            {
                bytes.write(escaped);
                i += 3;
            }
            else
            {
                bytes.write(c);
                i++;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int escapedByte(final CharSequence raw, final int at, final int end)
    {
        if (at + 2 >= end)
        {
            return -1;
        }
        final int hi = Hex.digit(raw.charAt(at + 1));
        final int lo = Hex.digit(raw.charAt(at + 2));
        return (hi | lo) < 0 ? -1 : (hi << 4) | lo;
    }

    private static void appendByte(final StringBuilder out, final int b)
    {
        if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
            b == '-' || b == '.' || b == '_' || b == '~')
        {
            out.append((char)b);
        }
        else
        {
            out.append('%').append(UPPER_HEX[b >>> 4]).append(UPPER_HEX[b & 0xF]);
        }
    }
}
