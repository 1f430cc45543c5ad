package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.core.ConduitException;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * {@link S3Metadata} to the store's {@link ObjectMetadata} and back, exactly, and S3's limits on it.
 *
 * <p>The content type is the store's content type. Everything else goes into the store's user
 * metadata, each entry under a name made of a one-letter class, a colon, and the S3 name:
 *
 * <pre>
 * h:cache-control, h:content-disposition, h:content-encoding, h:content-language, h:expires
 * h:content-type   only for a content type longer than the store's 255 bytes
 * m:&lt;name&gt;         user metadata (x-amz-meta-&lt;name&gt;)
 * t:&lt;key&gt;          a tag
 * c:&lt;algorithm&gt;    a checksum of the whole object
 * </pre>
 *
 * <p>Because every stored name carries its class, no user metadata name, tag key or algorithm can
 * ever produce a name of another class, so decoding is exact whatever the strings are. Empty
 * header fields are not stored (the record's "" means "not set").
 *
 * <p>Limits (S3's): user metadata names and values together at most 2 KiB of UTF-8
 * ({@code MetadataTooLarge}); at most 10 tags, keys of 1..128 and values of at most 256 Unicode
 * characters, no {@code aws:} prefix ({@code InvalidTag}). The store keeps at most 8 KiB of
 * metadata per object; an object whose headers and tags together need more is refused with
 * {@code MetadataTooLarge} too.
 */
final class MetadataCodec
{
    /** S3's limit on user metadata, UTF-8 bytes of names and values. */
    static final int MAX_USER_METADATA_BYTES = 2 << 10;
    /** S3's limit on tags per object. */
    static final int MAX_TAGS = 10;
    /** S3's limit on a tag key, in Unicode characters. */
    static final int MAX_TAG_KEY_CHARS = 128;
    /** S3's limit on a tag value, in Unicode characters. */
    static final int MAX_TAG_VALUE_CHARS = 256;

    private static final String CACHE_CONTROL = "h:cache-control";
    private static final String CONTENT_DISPOSITION = "h:content-disposition";
    private static final String CONTENT_ENCODING = "h:content-encoding";
    private static final String CONTENT_LANGUAGE = "h:content-language";
    private static final String EXPIRES = "h:expires";
    private static final String LONG_CONTENT_TYPE = "h:content-type";
    private static final String USER = "m:";
    private static final String TAG = "t:";
    private static final String CHECKSUM = "c:";
    private static final int CLASS_LENGTH = 2;

    private MetadataCodec()
    {
    }

    /**
     * @param metadata S3 metadata, checked against S3's limits.
     * @return what the store keeps.
     * @throws S3Exception {@code MetadataTooLarge}, {@code InvalidTag}.
     */
    static ObjectMetadata encode(final S3Metadata metadata)
    {
        checkUser(metadata.user());
        checkTags(metadata.tags());
        final Map<String, String> stored = new HashMap<>();
        putIfSet(stored, CACHE_CONTROL, metadata.cacheControl());
        putIfSet(stored, CONTENT_DISPOSITION, metadata.contentDisposition());
        putIfSet(stored, CONTENT_ENCODING, metadata.contentEncoding());
        putIfSet(stored, CONTENT_LANGUAGE, metadata.contentLanguage());
        putIfSet(stored, EXPIRES, metadata.expires());
        putAll(stored, USER, metadata.user());
        putAll(stored, TAG, metadata.tags());
        putAll(stored, CHECKSUM, metadata.checksums());
        String contentType = metadata.contentType();
        if (utf8Length(contentType) > ObjectMetadata.MAX_CONTENT_TYPE_BYTES)
        {
            stored.put(LONG_CONTENT_TYPE, contentType);
            contentType = "";
        }
        try
        {
            return new ObjectMetadata(contentType, stored);
        }
        catch (final ConduitException e)
        {
            throw StoreErrors.toS3(e, "");
        }
    }

    /**
     * @param record an object's (or upload's) record.
     * @return its S3 metadata (an unset content type reads as {@link ObjectRecord#DEFAULT_CONTENT_TYPE}).
     */
    static S3Metadata decode(final ObjectRecord record)
    {
        return decode(record.contentType(), record.userMetadata());
    }

    /**
     * @param contentType the store's content type.
     * @param stored      the store's user metadata, as {@link #encode} wrote it.
     * @return the S3 metadata that was encoded.
     */
    static S3Metadata decode(final String contentType, final Map<String, String> stored)
    {
        final Map<String, String> user = new HashMap<>();
        final Map<String, String> tags = new HashMap<>();
        final Map<String, String> checksums = new HashMap<>();
        for (final Map.Entry<String, String> e : stored.entrySet())
        {
            final String name = e.getKey();
            if (name.startsWith(USER))
            {
                user.put(name.substring(CLASS_LENGTH), e.getValue());
            }
            else if (name.startsWith(TAG))
            {
                tags.put(name.substring(CLASS_LENGTH), e.getValue());
            }
            else if (name.startsWith(CHECKSUM))
            {
                checksums.put(name.substring(CLASS_LENGTH), e.getValue());
            }
        }
        return new S3Metadata(
            stored.getOrDefault(LONG_CONTENT_TYPE, contentType),
            stored.get(CONTENT_ENCODING),
            stored.get(CACHE_CONTROL),
            stored.get(CONTENT_DISPOSITION),
            stored.get(CONTENT_LANGUAGE),
            stored.get(EXPIRES),
            user,
            tags,
            checksums);
    }

    /**
     * @param tags a tag set.
     * @throws S3Exception {@code InvalidTag} naming the broken rule.
     */
    static void checkTags(final Map<String, String> tags)
    {
        if (tags.size() > MAX_TAGS)
        {
            throw new S3Exception(S3Error.InvalidTag, "Object tags cannot be greater than " + MAX_TAGS, "");
        }
        for (final Map.Entry<String, String> e : tags.entrySet())
        {
            final String key = e.getKey();
            final int keyChars = key.codePointCount(0, key.length());
            if (keyChars < 1 || keyChars > MAX_TAG_KEY_CHARS)
            {
                throw new S3Exception(S3Error.InvalidTag,
                    "The TagKey you have provided is invalid: 1 to " + MAX_TAG_KEY_CHARS + " characters", key);
            }
            if (key.startsWith("aws:"))
            {
                throw new S3Exception(S3Error.InvalidTag, "Your TagKey cannot be prefixed with aws:", key);
            }
            final String value = e.getValue();
            if (value.codePointCount(0, value.length()) > MAX_TAG_VALUE_CHARS)
            {
                throw new S3Exception(S3Error.InvalidTag,
                    "The TagValue you have provided is too long: at most " + MAX_TAG_VALUE_CHARS + " characters", key);
            }
        }
    }

    private static void checkUser(final Map<String, String> user)
    {
        long bytes = 0;
        for (final Map.Entry<String, String> e : user.entrySet())
        {
            bytes += utf8Length(e.getKey()) + utf8Length(e.getValue());
        }
        if (bytes > MAX_USER_METADATA_BYTES)
        {
            throw new S3Exception(S3Error.MetadataTooLarge,
                "Your metadata headers are " + bytes + " bytes; the limit is " + MAX_USER_METADATA_BYTES, "");
        }
    }

    /**
     * @param tagKey an S3 tag key.
     * @return the store metadata name it is kept under.
     */
    static String tagName(final String tagKey)
    {
        return TAG + tagKey;
    }

    /**
     * @param userName an S3 user metadata name (lower case).
     * @return the store metadata name it is kept under.
     */
    static String userName(final String userName)
    {
        return USER + userName;
    }

    private static void putIfSet(final Map<String, String> stored, final String name, final String value)
    {
        if (!value.isEmpty())
        {
            stored.put(name, value);
        }
    }

    private static void putAll(final Map<String, String> stored, final String cls, final Map<String, String> entries)
    {
        for (final Map.Entry<String, String> e : entries.entrySet())
        {
            stored.put(cls + e.getKey(), e.getValue());
        }
    }

    private static int utf8Length(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
