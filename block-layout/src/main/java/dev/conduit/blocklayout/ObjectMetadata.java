package dev.conduit.blocklayout;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import dev.conduit.core.ErrorCode;

/**
 * What a caller attaches to a put: a content type and user metadata (a string map of at most
 * {@link #MAX_USER_METADATA_BYTES} UTF-8 bytes over all keys and values). Validated on construction.
 *
 * @param contentType  MIME type, at most 255 UTF-8 bytes; empty means {@code application/octet-stream}.
 * @param userMetadata string map; copied and sorted by key.
 * @param versioning   what the write does with the key's earlier versions (not stored with the object).
 */
public record ObjectMetadata(String contentType, Map<String, String> userMetadata, VersioningMode versioning)
{
    /** Limit on user metadata: the UTF-8 bytes of all keys and values together. */
    public static final int MAX_USER_METADATA_BYTES = 8 << 10;
    /** Limit on the content type's UTF-8 bytes. */
    public static final int MAX_CONTENT_TYPE_BYTES = 255;
    /** No content type, no metadata. */
    public static final ObjectMetadata NONE = new ObjectMetadata("", Map.of());

    /** Copies, sorts and bounds the fields. */
    public ObjectMetadata
    {
        versioning = versioning == null ? VersioningMode.OFF : versioning;
        contentType = contentType == null ? "" : contentType;
        if (contentType.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_TYPE_BYTES)
        {
            throw LayoutErrors.error(ErrorCode.METADATA_TOO_LARGE, "content type is longer than " + MAX_CONTENT_TYPE_BYTES + " bytes");
        }
        final TreeMap<String, String> sorted = new TreeMap<>(userMetadata == null ? Map.of() : userMetadata);
        long total = 0;
        for (final Map.Entry<String, String> e : sorted.entrySet())
        {
            if (e.getKey().isEmpty() || e.getValue() == null)
            {
                throw LayoutErrors.error(ErrorCode.INVALID_KEY, "user metadata keys must be non-empty and values non-null");
            }
            total += Keys.utf8(e.getKey()).length + Keys.utf8(e.getValue()).length;
        }
        if (total > MAX_USER_METADATA_BYTES)
        {
            throw LayoutErrors.error(ErrorCode.METADATA_TOO_LARGE,
                "user metadata is " + total + " bytes; the limit is " + MAX_USER_METADATA_BYTES);
        }
        userMetadata = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    /**
     * Metadata of an unversioned write ({@link VersioningMode#OFF}).
     *
     * @param contentType  MIME type; empty for {@code application/octet-stream}.
     * @param userMetadata string map.
     */
    public ObjectMetadata(final String contentType, final Map<String, String> userMetadata)
    {
        this(contentType, userMetadata, VersioningMode.OFF);
    }

    /**
     * @param mode how the write treats earlier versions.
     * @return this metadata for a write in {@code mode}.
     */
    public ObjectMetadata withVersioning(final VersioningMode mode)
    {
        return new ObjectMetadata(contentType, userMetadata, mode);
    }

    /**
     * @param contentType MIME type.
     * @return metadata with only a content type.
     */
    public static ObjectMetadata ofContentType(final String contentType)
    {
        return new ObjectMetadata(contentType, Map.of());
    }
}
