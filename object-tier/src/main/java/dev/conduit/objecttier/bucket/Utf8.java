package dev.conduit.objecttier.bucket;

/**
 * UTF-8 encoding of a String into a caller's array, without the String's own byte array: the
 * length first ({@link #length}), then the bytes ({@link #put}); the result equals
 * {@code String.getBytes(UTF_8)} for every string without an unpaired surrogate.
 */
final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @param s a string.
     * @return its UTF-8 length, or -1 when it holds an unpaired surrogate.
     */
    static int length(final String s)
    {
        int bytes = 0;
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c))
            {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    return -1;
                }
                bytes += 4;
                i++;
            }
            else if (Character.isLowSurrogate(c))
            {
                return -1;
            }
            else
            {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * @param s   ASCII text.
     * @param dst where to write it.
     * @param at  first index in {@code dst}.
     * @return the index after it.
     */
    static int putAscii(final String s, final byte[] dst, final int at)
    {
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            dst[at + i] = (byte)s.charAt(i);
        }
        return at + n;
    }

    /**
     * @param s   a string whose {@link #length} is not -1.
     * @param dst where to write its UTF-8 bytes (room for {@link #length} of them).
     * @param at  first index in {@code dst}.
     * @return the index after them.
     */
    static int put(final String s, final byte[] dst, final int at)
    {
        int p = at;
        final int n = s.length();
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                dst[p++] = (byte)c;
            }
            else if (c < 0x800)
            {
                dst[p++] = (byte)(0xC0 | c >> 6);
                dst[p++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[p++] = (byte)(0xF0 | cp >> 18);
                dst[p++] = (byte)(0x80 | cp >> 12 & 0x3F);
                dst[p++] = (byte)(0x80 | cp >> 6 & 0x3F);
                dst[p++] = (byte)(0x80 | cp & 0x3F);
            }
            else
            {
                dst[p++] = (byte)(0xE0 | c >> 12);
                dst[p++] = (byte)(0x80 | c >> 6 & 0x3F);
                dst[p++] = (byte)(0x80 | c & 0x3F);
            }
        }
        return p;
    }
}
