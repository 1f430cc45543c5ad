package dev.conduit.objecttier.bucket;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * S3's rules for bucket names and object keys, checked before anything touches the store.
 *
 * <p>Bucket names: 3..63 characters of {@code [a-z0-9.-]}, starting and ending with a letter or
 * digit, no {@code ..}, not shaped like an IPv4 address, and none of the prefixes and suffixes AWS
 * reserves ({@code xn--}, {@code sthree-}, {@code amzn-s3-demo-}, {@code -s3alias},
 * {@code --ol-s3}, {@code .mrap}, {@code --x-s3}, {@code --table-s3}). Such a name can never start
 * with {@code '.'} or contain {@code '/'}, which the store key layout ({@link StoreKeys}) relies on.
 *
 * <p>Keys: 1..1024 UTF-8 bytes of valid Unicode, no NUL (the store layout uses NUL as a separator
 * in upload records), no leading {@code '/'} and no {@code ..} path segment (so no key can be
 * mistaken for a path that climbs out of its bucket by a gateway or a file-system export).
 */
final class NameRules
{
    /** Longest S3 key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private static final int MIN_BUCKET_CHARS = 3;
    private static final int MAX_BUCKET_CHARS = 63;
    private static final String[] RESERVED_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
    private static final String[] RESERVED_SUFFIXES = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};

    private NameRules()
    {
    }

    /**
     * @param name a bucket name.
     * @return whether it follows the rules (a name that does not can never name an existing bucket).
     */
    static boolean isValidBucket(final String name)
    {
        return bucketProblem(name) == null;
    }

    /**
     * @param name a bucket name.
     * @throws S3Exception {@code InvalidBucketName} naming the rule it breaks.
     */
    static void checkBucket(final String name)
    {
        final String problem = bucketProblem(name);
        if (problem != null)
        {
            throw new S3Exception(S3Error.InvalidBucketName, "The specified bucket is not valid: " + problem, name == null ? "" : name);
        }
    }

    /**
     * @param key an object key.
     * @throws S3Exception {@code KeyTooLongError} past 1024 UTF-8 bytes, {@code InvalidArgument}
     *                     for an empty key, invalid Unicode, NUL, a leading '/' or a {@code ..} segment.
     */
    static void checkKey(final String key)
    {
        if (key == null || key.isEmpty())
        {
            throw new S3Exception(S3Error.InvalidArgument, "the object key must not be empty", "");
        }
        // Counted without encoding (a GET checks every key), and strict: an unpaired surrogate is refused here
        // rather than stored as '?'.
        final int bytes = Utf8.length(key);
        if (bytes < 0)
        {
            throw new S3Exception(S3Error.InvalidArgument, "the object key is not valid Unicode", "");
        }
        if (bytes > MAX_KEY_BYTES)
        {
            throw new S3Exception(S3Error.KeyTooLongError,
                "the key is " + bytes + " UTF-8 bytes; the limit is " + MAX_KEY_BYTES, key.substring(0, 64) + "...");
        }
        if (key.indexOf('\0') >= 0)
        {
            throw new S3Exception(S3Error.InvalidArgument, "object keys must not contain NUL", key.replace('\0', '?'));
        }
        if (key.charAt(0) == '/')
        {
            throw new S3Exception(S3Error.InvalidArgument, "object keys must not start with '/'", key);
        }
        if (hasDotDotSegment(key))
        {
            throw new S3Exception(S3Error.InvalidArgument, "object keys must not contain a '..' path segment", key);
        }
    }

    /** @return the rule {@code name} breaks, or null when it breaks none. */
    private static String bucketProblem(final String name)
    {
        if (name == null || !hasBucketShape(name))
        {
            return "3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";
        }
        if (name.contains(".."))
        {
            return "two adjacent dots";
        }
        if (hasIpv4Shape(name))
        {
            return "shaped like an IP address";
        }
        for (final String prefix : RESERVED_PREFIXES)
        {
            if (name.startsWith(prefix))
            {
                return "reserved prefix " + prefix;
            }
        }
        for (final String suffix : RESERVED_SUFFIXES)
        {
            if (name.endsWith(suffix))
            {
                return "reserved suffix " + suffix;
            }
        }
        return null;
    }

    private static boolean hasDotDotSegment(final String key)
    {
        int start = 0;
        while (start <= key.length())
        {
            final int slash = key.indexOf('/', start);
            final int end = slash < 0 ? key.length() : slash;
            if (end - start == 2 && key.startsWith("..", start))
            {
                return true;
            }
            if (slash < 0)
            {
                return false;
            }
            start = slash + 1;
        }
        return false;
    }

    /** {@code [a-z0-9][a-z0-9.-]{1,61}[a-z0-9]}, without a regex (every request checks its bucket's name). */
    private static boolean hasBucketShape(final String name)
    {
        final int length = name.length();
        if (length < MIN_BUCKET_CHARS || length > MAX_BUCKET_CHARS
            || !isLowerAlnum(name.charAt(0)) || !isLowerAlnum(name.charAt(length - 1)))
        {
            return false;
        }
        for (int i = 1; i < length - 1; i++)
        {
            final char c = name.charAt(i);
            if (!isLowerAlnum(c) && c != '.' && c != '-')
            {
                return false;
            }
        }
        return true;
    }

    /** {@code \d{1,3}(\.\d{1,3}){3}}, without a regex. */
    private static boolean hasIpv4Shape(final String name)
    {
        int groups = 0;
        int digits = 0;
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c >= '0' && c <= '9')
            {
                if (++digits > 3)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && groups < 3)
            {
                groups++;
                digits = 0;
            }
            else
            {
                return false;
            }
        }
        return groups == 3 && digits > 0;
    }

    private static boolean isLowerAlnum(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
