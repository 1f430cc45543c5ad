package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * Percent-decoding and -encoding as S3 uses them. Paths keep {@code +} literal (S3 keys may
 * contain it), query strings of form posts would not, and S3's encoding-type=url encodes keys the
 * way SigV4 does (unreserved characters kept, everything else as %XX of its UTF-8 bytes).
 */
final class PercentCodec
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCodec()
    {
    }

    /**
     * @param s          the encoded text.
     * @param plusIsSpace whether {@code +} means a space (query strings) or itself (paths).
     * @return the decoded text.
     * @throws S3Exception InvalidArgument when a %-escape is malformed.
     */
    static String decode(final String s, final boolean plusIsSpace)
    {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0))
        {
            return s;
        }
        // Bytes straight into one array: ASCII as itself, anything else as its UTF-8 bytes, each escape as its byte.
        final byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '%')
            {
                if (i + 2 >= s.length())
                {
                    throw new S3Exception(S3Error.InvalidArgument, "Malformed percent-escape", s);
                }
                final int hi = Character.digit(s.charAt(i + 1), 16);
                final int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0)
                {
                    throw new S3Exception(S3Error.InvalidArgument, "Malformed percent-escape", s);
                }
                out[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                out[n++] = ' ';
            }
            else if (c < 0x80)
            {
                out[n++] = (byte)c;
            }
            else
            {
                final int codePoint = s.codePointAt(i);
                final byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, out, n, bytes.length);
                n += bytes.length;
                i += Character.charCount(codePoint) - 1;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * @param s text.
     * @return {@code s} with everything but {@code A-Za-z0-9-_.~} (and {@code /} when asked) percent-encoded.
     */
    static String encode(final String s, final boolean keepSlash)
    {
        final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        final StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (final byte b : bytes)
        {
            final int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.'
                || c == '~' || (keepSlash && c == '/'))
            {
                sb.append((char)c);
            }
            else
            {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }
}
