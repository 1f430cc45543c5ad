package dev.conduit.objecttier.bucket;

import java.util.Map;

/**
 * What S3 stores with an object besides its bytes: the content headers that round-trip exactly,
 * user metadata ({@code x-amz-meta-*} without the prefix, lower-case names), tags, and the
 * checksums the client sent ({@code CRC32}, {@code CRC32C}, {@code CRC64NVME}, {@code SHA1},
 * {@code SHA256} → base64 value). Empty strings mean "not set".
 *
 * @param contentType        Content-Type ("" = application/octet-stream).
 * @param contentEncoding    Content-Encoding.
 * @param cacheControl       Cache-Control.
 * @param contentDisposition Content-Disposition.
 * @param contentLanguage    Content-Language.
 * @param expires            Expires, as sent.
 * @param user               user metadata.
 * @param tags               object tags.
 * @param checksums          algorithm name → base64 checksum of the whole object.
 */
public record S3Metadata(
    String contentType,
    String contentEncoding,
    String cacheControl,
    String contentDisposition,
    String contentLanguage,
    String expires,
    Map<String, String> user,
    Map<String, String> tags,
    Map<String, String> checksums)
{
    /** No metadata at all. */
    public static final S3Metadata EMPTY = new S3Metadata("", "", "", "", "", "", Map.of(), Map.of(), Map.of());

    /** Copies the maps so the record is immutable. */
    public S3Metadata
    {
        contentType = contentType == null ? "" : contentType;
        contentEncoding = contentEncoding == null ? "" : contentEncoding;
        cacheControl = cacheControl == null ? "" : cacheControl;
        contentDisposition = contentDisposition == null ? "" : contentDisposition;
        contentLanguage = contentLanguage == null ? "" : contentLanguage;
        expires = expires == null ? "" : expires;
        user = user == null ? Map.of() : Map.copyOf(user);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
    }

    /**
     * @param newTags the tags to carry instead.
     * @return this metadata with other tags.
     */
    public S3Metadata withTags(final Map<String, String> newTags)
    {
        return new S3Metadata(contentType, contentEncoding, cacheControl, contentDisposition, contentLanguage, expires, user, newTags, checksums);
    }

    /**
     * @param newChecksums the checksums to carry instead.
     * @return this metadata with other checksums.
     */
    public S3Metadata withChecksums(final Map<String, String> newChecksums)
    {
        return new S3Metadata(contentType, contentEncoding, cacheControl, contentDisposition, contentLanguage, expires, user, tags, newChecksums);
    }
}
