package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * Keys the server refuses before anything reaches the store: empty, longer than 1024 UTF-8 bytes,
 * containing NUL, or with a {@code ..} path segment (which tools would resolve to another key).
 */
final class ObjectKeys
{
    /** S3's limit on a key's UTF-8 length. */
    static final int MAX_KEY_BYTES = 1024;

    private ObjectKeys()
    {
    }

    /**
     * @param key a decoded key.
     * @throws S3Exception KeyTooLongError or InvalidArgument.
     */
    static void validate(final String key)
    {
        if (key.isEmpty())
        {
            throw new S3Exception(S3Error.InvalidArgument, "The key must not be empty.", key);
        }
        // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2): only a long key needs encoding to be measured.
        if (key.length() > MAX_KEY_BYTES
            || key.length() * 3 > MAX_KEY_BYTES && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES)
        {
            throw S3Exception.of(S3Error.KeyTooLongError, key.substring(0, Math.min(64, key.length())));
        }
        if (key.indexOf('\0') >= 0)
        {
            throw new S3Exception(S3Error.InvalidArgument, "The key must not contain NUL.", "");
        }
        int start = 0;
        while (start <= key.length())
        {
            int end = key.indexOf('/', start);
            if (end < 0)
            {
                end = key.length();
            }
            if (end - start == 2 && key.charAt(start) == '.' && key.charAt(start + 1) == '.')
            {
                throw new S3Exception(S3Error.InvalidArgument, "The key must not contain a '..' segment.", key);
            }
            start = end + 1;
        }
    }
}
