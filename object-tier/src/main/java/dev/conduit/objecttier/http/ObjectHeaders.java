package dev.conduit.objecttier.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketStore;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.xml.S3Xml;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * S3 metadata to and from HTTP headers: the content headers that round-trip exactly
 * (Content-Type, Content-Encoding without its aws-chunked element, Cache-Control,
 * Content-Disposition, Content-Language, Expires), {@code x-amz-meta-*}, {@code x-amz-tagging},
 * and the headers a GET or HEAD answers with (ETag quoted, Last-Modified, tag count, checksums).
 */
final class ObjectHeaders
{
    private static final String META_PREFIX = "x-amz-meta-";
    private static final String AWS_CHUNKED = "aws-chunked";

    private ObjectHeaders()
    {
    }

    /**
     * @param headers   the request's headers.
     * @param withTags  whether x-amz-tagging is read (PutObject, CreateMultipartUpload, CopyObject REPLACE).
     * @return the metadata they carry (checksums are added by the caller once verified).
     */
    static S3Metadata metadataFrom(final HttpHeaders headers, final boolean withTags)
    {
        final Map<String, String> user = new LinkedHashMap<>();
        for (final Map.Entry<String, String> header : headers)
        {
            final String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX))
            {
                user.put(name.substring(META_PREFIX.length()), header.getValue());
            }
        }
        final Map<String, String> tags = withTags ? tagsFrom(headers.get("x-amz-tagging")) : Map.of();
        return new S3Metadata(
            headers.get(HttpHeaderNames.CONTENT_TYPE),
            contentEncodingWithoutAwsChunked(headers.get(HttpHeaderNames.CONTENT_ENCODING)),
            headers.get(HttpHeaderNames.CACHE_CONTROL),
            headers.get(HttpHeaderNames.CONTENT_DISPOSITION),
            headers.get(HttpHeaderNames.CONTENT_LANGUAGE),
            headers.get(HttpHeaderNames.EXPIRES),
            user,
            tags,
            Map.of());
    }

    /**
     * @param value a Content-Encoding header value, or null.
     * @return it without the aws-chunked element (the transfer framing, not the object's encoding).
     */
    static String contentEncodingWithoutAwsChunked(final String value)
    {
        if (value == null || !value.toLowerCase(Locale.ROOT).contains(AWS_CHUNKED))
        {
            return value;
        }
        final StringBuilder kept = new StringBuilder();
        for (final String part : value.split(","))
        {
            final String trimmed = part.trim();
            if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase(AWS_CHUNKED))
            {
                if (!kept.isEmpty())
                {
                    kept.append(',');
                }
                kept.append(trimmed);
            }
        }
        return kept.toString();
    }

    /**
     * @param headers request headers.
     * @return whether the body is aws-chunked framed (by Content-Encoding).
     */
    static boolean awsChunkedEncoding(final HttpHeaders headers)
    {
        final String value = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        return value != null && value.toLowerCase(Locale.ROOT).contains(AWS_CHUNKED);
    }

    /**
     * @param header an x-amz-tagging value ({@code k1=v1&k2=v2}, URL-encoded), or null.
     * @return the tags, validated.
     */
    static Map<String, String> tagsFrom(final String header)
    {
        if (header == null || header.isEmpty())
        {
            return Map.of();
        }
        final Map<String, String> tags = new LinkedHashMap<>();
        for (final String pair : header.split("&"))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String key = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            final String value = eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1), true);
            if (tags.put(key, value) != null)
            {
                throw new S3Exception(S3Error.InvalidTag, "Cannot provide multiple Tags with the same key", key);
            }
        }
        S3Xml.validateTags(tags);
        return tags;
    }

    /**
     * Adds what a GET or HEAD answers with.
     *
     * @param out           the response headers.
     * @param object        the object.
     * @param query         the request's query (response-* overrides).
     * @param withChecksums whether x-amz-checksum-mode: ENABLED asked for the stored checksums.
     */
    static void describe(final HttpHeaders out, final S3Object object, final Map<String, String> query,
        final boolean withChecksums)
    {
        final S3Metadata metadata = object.metadata();
        etagAndDate(out, object);
        out.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        set(out, HttpHeaderNames.CONTENT_TYPE.toString(),
            override(query, "response-content-type", metadata.contentType().isEmpty() ? "binary/octet-stream"
                : metadata.contentType()));
        set(out, HttpHeaderNames.CONTENT_ENCODING.toString(), override(query, "response-content-encoding",
            metadata.contentEncoding()));
        set(out, HttpHeaderNames.CACHE_CONTROL.toString(), override(query, "response-cache-control",
            metadata.cacheControl()));
        set(out, HttpHeaderNames.CONTENT_DISPOSITION.toString(), override(query, "response-content-disposition",
            metadata.contentDisposition()));
        set(out, HttpHeaderNames.CONTENT_LANGUAGE.toString(), override(query, "response-content-language",
            metadata.contentLanguage()));
        set(out, HttpHeaderNames.EXPIRES.toString(), override(query, "response-expires", metadata.expires()));
        if (!metadata.user().isEmpty())
        {
            for (final Map.Entry<String, String> meta : metadata.user().entrySet())
            {
                out.set(META_PREFIX + meta.getKey(), meta.getValue());
            }
        }
        if (!metadata.tags().isEmpty())
        {
            out.set("x-amz-tagging-count", metadata.tags().size());
        }
        if (withChecksums)
        {
            checksums(out, metadata.checksums());
        }
    }

    /**
     * @param out    response headers.
     * @param object the object: its quoted ETag and Last-Modified are added.
     */
    static void etagAndDate(final HttpHeaders out, final S3Object object)
    {
        out.set(HttpHeaderNames.ETAG, HeaderValueCache.quotedEtag(object.etag()));
        out.set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(object.lastModified()));
    }

    /**
     * @param out       response headers.
     * @param checksums algorithm name (CRC32, ...) to base64 value.
     */
    static void checksums(final HttpHeaders out, final Map<String, String> checksums)
    {
        if (checksums.isEmpty())
        {
            return;
        }
        for (final Map.Entry<String, String> checksum : checksums.entrySet())
        {
            out.set("x-amz-checksum-" + checksum.getKey().toLowerCase(Locale.ROOT), checksum.getValue());
        }
    }

    /**
     * Adds {@code x-amz-version-id} as S3 sends it: for a version with an id of its own, and for
     * the null version only in a bucket that has (or had) versioning.
     *
     * @param out              response headers.
     * @param object           the version read or written.
     * @param bucketVersioning the bucket's versioning state.
     */
    static void versionId(final HttpHeaders out, final S3Object object, final VersioningMode bucketVersioning)
    {
        final String value = versionIdValue(object.record(), bucketVersioning);
        if (value != null)
        {
            out.set(BucketStore.VERSION_ID_HEADER, value);
        }
    }

    /**
     * @param record           the stored record, or null.
     * @param bucketVersioning the bucket's versioning.
     * @return the {@code x-amz-version-id} a response about {@code record} carries, or null for none.
     */
    static String versionIdValue(final ObjectRecord record, final VersioningMode bucketVersioning)
    {
        return record != null && (record.isVersioned() || bucketVersioning != VersioningMode.OFF) ? record.versionIdText() : null;
    }

    /**
     * @param etag an ETag with or without quotes.
     * @return it quoted.
     */
    static String quote(final String etag)
    {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private static String override(final Map<String, String> query, final String name, final String stored)
    {
        final String value = query.get(name);
        return value != null ? value : stored;
    }

    private static void set(final HttpHeaders out, final String name, final String value)
    {
        if (value != null && !value.isEmpty())
        {
            out.set(name, value);
        }
    }
}
