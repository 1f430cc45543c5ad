package dev.conduit.objecttier.tier;

/**
 * S3's key order, UTF-8 byte order, which is code point order; {@link String#compareTo} compares
 * UTF-16 units and puts U+E000..U+FFFF after the supplementary characters, where UTF-8 puts them before.
 */
final class KeyOrder
{
    private KeyOrder()
    {
    }

    /**
     * @param a a key.
     * @param b another.
     * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}.
     */
    static int compare(final String a, final String b)
    {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++)
        {
            final char x = a.charAt(i);
            final char y = b.charAt(i);
            if (x != y)
            {
                return Character.codePointAt(a, i) - Character.codePointAt(b, i);
            }
        }
        return a.length() - b.length();
    }
}
