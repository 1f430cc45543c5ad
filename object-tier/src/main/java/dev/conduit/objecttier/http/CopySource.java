package dev.conduit.objecttier.http;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key[?versionId=...]},
 * URL-encoded.
 *
 * @param bucket    the source bucket.
 * @param key       the source key, decoded.
 * @param versionId the source version ("" = the current one).
 */
record CopySource(String bucket, String key, String versionId)
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
        String versionId = "";
        final int q = value.indexOf('?');
        if (q >= 0)
        {
            final String version = value.substring(q + 1);
            if (version.startsWith("versionId="))
            {
                versionId = PercentCodec.decode(version.substring("versionId=".length()), true);
            }
            else if (!version.isEmpty())
            {
                throw new S3Exception(S3Error.InvalidArgument, "The copy source may name only a versionId.", header);
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
        return new CopySource(decoded.substring(0, slash), key, versionId);
    }
}
