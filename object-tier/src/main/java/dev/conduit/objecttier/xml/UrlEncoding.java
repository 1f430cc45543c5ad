package dev.conduit.objecttier.xml;

import java.nio.charset.StandardCharsets;

/**
 * Listing values under {@code encoding-type=url}: a client asks for it so that keys holding
 * characters XML cannot carry come back intact. Each UTF-8 byte outside RFC 3986's unreserved set
 * is written {@code %XX} (upper-case hex); {@code /} stays as it is, as S3 leaves it, so prefixes
 * stay readable. Both form decoders and RFC 3986 decoders turn the result back into the key.
 */
final class UrlEncoding
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding()
    {
    }

    /**
     * @param value   the raw value.
     * @param encode  whether the request asked for {@code encoding-type=url}.
     * @return the value as it goes into the document.
     */
    static String apply(final String value, final boolean encode)
    {
        if (!encode || null == value || isPlain(value))
        {
            return value;
        }
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        final StringBuilder out = new StringBuilder(utf8.length * 3);
        for (final byte b : utf8)
        {
            final int v = b & 0xFF;
            if (isKept(v))
            {
                out.append((char)v);
            }
            else
            {
                out.append('%').append(HEX[v >> 4]).append(HEX[v & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean isPlain(final String value)
    {
        for (int i = 0, n = value.length(); i < n; i++)
        {
            if (!isKept(value.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isKept(final int c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || c == '/';
    }
}
