package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;

/**
 * Where S3 things live in the store's one key space. Every store key starts with a short tag and
 * the tags never collide, because bucket names can contain neither {@code '.'} at the start nor
 * {@code '/'} anywhere ({@link NameRules}):
 *
 * <pre>
 * .b/&lt;bucket&gt;                     bucket record: 0 bytes, created time and ACL in its metadata
 * o/&lt;bucket&gt;/&lt;key&gt;                object: the S3 object's bytes, S3 metadata encoded by {@link MetadataCodec}
 * .u/&lt;bucket&gt;/&lt;key&gt;\0&lt;uploadId&gt;   multipart upload: 0 bytes, the future object's metadata; created = initiated
 * .p/&lt;uploadId&gt;/&lt;00001&gt;          one uploaded part (part number in 5 digits, so they list in order)
 * .l/&lt;bucket&gt;                     lifecycle configuration: its rules ({@link LifecycleCodec}) as the content
 * </pre>
 *
 * <p>Why NUL in upload keys: S3 keys never contain NUL ({@link NameRules}), and NUL sorts below
 * every other byte, so upload records list by S3 key, then upload id (ids begin with their
 * creation time), exactly the order ListMultipartUploads needs, and every key's uploads sort
 * before those of any longer key that extends it. The longest store key is an upload's:
 * {@code 3 + 63 + 1 + 1024 + 1 + 34} = 1126 bytes, within the store's 1280.
 */
final class StoreKeys
{
    /** Separates the S3 key from the upload id in an upload record's store key. */
    static final char UPLOAD_SEPARATOR = '\0';

    private static final String BUCKETS = ".b/";
    private static final String OBJECTS = "o/";
    private static final String UPLOADS = ".u/";
    private static final String PARTS = ".p/";
    private static final String LIFECYCLE = ".l/";

    private StoreKeys()
    {
    }

    /** @return the prefix under which every bucket record lies. */
    static String bucketPrefix()
    {
        return BUCKETS;
    }

    static String bucket(final String bucket)
    {
        return BUCKETS + bucket;
    }

    static String lifecycle(final String bucket)
    {
        return LIFECYCLE + bucket;
    }

    static String bucketName(final String storeKey)
    {
        return storeKey.substring(BUCKETS.length());
    }

    /** @return the prefix of every object of {@code bucket}; an S3 key is what follows it. */
    static String objectPrefix(final String bucket)
    {
        return OBJECTS + bucket + '/';
    }

    static String object(final String bucket, final String key)
    {
        return objectPrefix(bucket) + key;
    }

    /** @return the tag every object's store key starts with (then the bucket, {@code '/'} and the S3 key). */
    static String objectPrefixTag()
    {
        return OBJECTS;
    }

    /** @return the UTF-8 bytes of {@link #object}, in a new array. */
    static byte[] objectBytes(final String bucket, final String key)
    {
        return object(bucket, key).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the prefix of every upload record of {@code bucket}. */
    static String uploadPrefix(final String bucket)
    {
        return UPLOADS + bucket + '/';
    }

    static String upload(final String bucket, final String key, final String uploadId)
    {
        return uploadPrefix(bucket) + key + UPLOAD_SEPARATOR + uploadId;
    }

    /**
     * @param bucket the bucket.
     * @param key    an S3 key.
     * @return a cursor after every upload of {@code key} and before any other key's uploads:
     *         {@code '~'} sorts after every character of an upload id ({@code [0-9A-Za-z_-]}).
     */
    static String afterUploadsOf(final String bucket, final String key)
    {
        return uploadPrefix(bucket) + key + UPLOAD_SEPARATOR + '~';
    }

    /**
     * @param base     {@link #uploadPrefix} of the bucket.
     * @param storeKey an upload record's key.
     * @return the S3 key the upload will create.
     */
    static String uploadKey(final String base, final String storeKey)
    {
        return storeKey.substring(base.length(), storeKey.lastIndexOf(UPLOAD_SEPARATOR));
    }

    /**
     * @param storeKey an upload record's key.
     * @return its upload id.
     */
    static String uploadId(final String storeKey)
    {
        return storeKey.substring(storeKey.lastIndexOf(UPLOAD_SEPARATOR) + 1);
    }

    /** @return the prefix of every part of the upload. */
    static String partPrefix(final String uploadId)
    {
        return PARTS + uploadId + '/';
    }

    static String part(final String uploadId, final int partNumber)
    {
        final String digits = Integer.toString(partNumber);
        return partPrefix(uploadId) + "0".repeat(5 - digits.length()) + digits;
    }

    /**
     * @param storeKey a part record's key.
     * @return its part number.
     */
    static int partNumber(final String storeKey)
    {
        return Integer.parseInt(storeKey.substring(storeKey.lastIndexOf('/') + 1));
    }
}
