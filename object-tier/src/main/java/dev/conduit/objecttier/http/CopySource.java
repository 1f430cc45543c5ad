package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key[?versionId=...]},
 * URL-encoded. Only the current version ("null") can be copied.
 *
 * @param bucket the source bucket.
 * @param key    the source key, decoded.
 */
record CopySource(String bucket, String key)
{
    /**
     * @param header the header value, or null.
     * @return the source.
     * @throws S3Exception InvalidCopySource / InvalidArgument.
     */
    static CopySource parse(final String header)
    {
        if (header == null || header.isBlank())
        {
            throw new S3Exception(S3Error.InvalidCopySource,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "");
        }
        String value = header.trim();
        final int q = value.indexOf('?');
        if (q >= 0)
        {
            final String version = value.substring(q + 1);
            if (!version.isEmpty() && !"versionId=null".equals(version))
            {
                throw new S3Exception(S3Error.InvalidArgument, "Only the current version of an object can be copied.",
                    header);
            }
            value = value.substring(0, q);
        }
        final String decoded = PercentCodec.decode(value.startsWith("/") ? value.substring(1) : value, false);
        final int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1)
        {
            throw new S3Exception(S3Error.InvalidCopySource,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", header);
        }
        final String key = decoded.substring(slash + 1);
        ObjectKeys.validate(key);
        return new CopySource(decoded.substring(0, slash), key);
    }
}
