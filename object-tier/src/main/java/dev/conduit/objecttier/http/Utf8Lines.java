package dev.conduit.objecttier.http;

/**
 * UTF-8 encoding of log text into a ring of bytes (a power-of-two array indexed by a running
 * position), for {@link AccessLogWriter}, which records lines without making a String or a byte
 * array per line. An unpaired surrogate is written as {@code ?}, as {@code String.getBytes} does.
 */
final class Utf8Lines
{
    private Utf8Lines()
    {
    }

    /**
     * @param text the text.
     * @return its UTF-8 length in bytes.
     */
    static int encodedLength(final CharSequence text)
    {
        int bytes = 0;
        final int n = text.length();
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }

    /**
     * @param text     the text; the ring must have room for {@link #encodedLength} bytes from {@code position}.
     * @param ring     the ring.
     * @param mask     its length minus one.
     * @param position where the first byte goes (running, masked here).
     * @return the position after the last byte.
     */
    static long encode(final CharSequence text, final byte[] ring, final int mask, final long position)
    {
        long at = position;
        final int n = text.length();
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                ring[(int)at++ & mask] = (byte)c;
            }
            else if (c < 0x800)
            {
                ring[(int)at++ & mask] = (byte)(0xC0 | c >> 6);
                ring[(int)at++ & mask] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                ring[(int)at++ & mask] = (byte)(0xF0 | cp >> 18);
                ring[(int)at++ & mask] = (byte)(0x80 | cp >> 12 & 0x3F);
                ring[(int)at++ & mask] = (byte)(0x80 | cp >> 6 & 0x3F);
                ring[(int)at++ & mask] = (byte)(0x80 | cp & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                ring[(int)at++ & mask] = '?';
            }
            else
            {
                ring[(int)at++ & mask] = (byte)(0xE0 | c >> 12);
                ring[(int)at++ & mask] = (byte)(0x80 | c >> 6 & 0x3F);
                ring[(int)at++ & mask] = (byte)(0x80 | c & 0x3F);
            }
        }
        return at;
    }
}
