package dev.conduit.objecttier.http;

/**
 * A single {@code Range: bytes=...} header resolved against an object's size: {@code a-b},
 * {@code a-} (to the end) or {@code -n} (the last n bytes). As S3 does, a header it cannot parse
 * or that names several ranges is ignored (the whole object is sent); a syntactically valid range
 * that starts at or beyond the end is unsatisfiable (416).
 *
 * @param offset first byte.
 * @param length bytes.
 */
record ByteRange(long offset, long length)
{
    /** Marks an unsatisfiable range. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /**
     * @param header    the Range header, or null.
     * @param sizeBytes the object's size.
     * @return the range, {@code null} to send the whole object, or {@link #UNSATISFIABLE}.
     */
    static ByteRange parse(final String header, final long sizeBytes)
    {
        if (header == null)
        {
            return null;
        }
        final String value = header.trim();
        if (!value.startsWith("bytes=") || value.indexOf(',') >= 0)
        {
            return null;
        }
        final String spec = value.substring("bytes=".length()).trim();
        final int dash = spec.indexOf('-');
        if (dash < 0)
        {
            return null;
        }
        final long first = parseLong(spec.substring(0, dash).trim());
        final long last = parseLong(spec.substring(dash + 1).trim());
        if (dash == 0)
        {
            // bytes=-n: the last n bytes.
            if (last < 0)
            {
                return null;
            }
            if (last == 0 || sizeBytes == 0)
            {
                return UNSATISFIABLE;
            }
            final long n = Math.min(last, sizeBytes);
            return new ByteRange(sizeBytes - n, n);
        }
        if (first < 0 || (dash + 1 < spec.length() && last < 0) || (last >= 0 && last < first))
        {
            return null;
        }
        if (first >= sizeBytes)
        {
            return UNSATISFIABLE;
        }
        final long end = last < 0 ? sizeBytes - 1 : Math.min(last, sizeBytes - 1);
        return new ByteRange(first, end - first + 1);
    }

    private static long parseLong(final String s)
    {
        if (s.isEmpty() || s.length() > 18)
        {
            return -1;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    /**
     * @param sizeBytes the object's size.
     * @return the Content-Range value of this range.
     */
    String contentRange(final long sizeBytes)
    {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + sizeBytes;
    }
}
