package dev.conduit.objecttier.xml;

import java.util.List;

import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.bucket.S3Version;
import dev.conduit.objecttier.bucket.VersionListResult;

/**
 * ListObjects v1, ListObjectsV2 and ListObjectVersions, which share their common-prefix roll-up.
 * ListObjectVersions writes {@code Version} and {@code DeleteMarker} entries in listing order (key
 * ascending, newest first); in a bucket that never had versioning every key has one version, id
 * {@code "null"}, latest, as S3 reports it.
 */
final class ListingXml
{
    static final String NULL_VERSION_ID = "null";

    private static final int CHARS_PER_ENTRY = 320;

    private ListingXml()
    {
    }

    static byte[] listObjectsV1(
        final ListParams params,
        final String marker,
        final ListResult result,
        final Owner owner)
    {
        final XmlWriter xml = start("ListBucketResult", params, result);
        xml.element("Marker", params.encoded(null == marker ? "" : marker))
            .element("MaxKeys", params.maxKeys());
        delimiterAndEncoding(xml, params);
        xml.element("IsTruncated", result.truncated());
        // S3 sends NextMarker only with a delimiter; without one a client continues after the last key.
        if (result.truncated() && !params.delimiter().isEmpty())
        {
            xml.element("NextMarker", params.encoded(result.nextStartAfter()));
        }
        for (final S3Object object : result.objects())
        {
            entry(xml, "Contents", object, params, owner);
        }
        commonPrefixes(xml, result.commonPrefixes(), params);
        return xml.close("ListBucketResult").toBytes();
    }

    static byte[] listObjectsV2(
        final ListParams params,
        final String startAfter,
        final String continuationToken,
        final String nextContinuationToken,
        final ListResult result,
        final Owner fetchOwner)
    {
        final XmlWriter xml = start("ListBucketResult", params, result);
        xml.optional("ContinuationToken", continuationToken);
        if (result.truncated())
        {
            xml.element("NextContinuationToken", nextContinuationToken);
        }
        xml.element("KeyCount", result.objects().size() + result.commonPrefixes().size())
            .element("MaxKeys", params.maxKeys());
        delimiterAndEncoding(xml, params);
        xml.element("IsTruncated", result.truncated());
        if (null != startAfter && !startAfter.isEmpty())
        {
            xml.element("StartAfter", params.encoded(startAfter));
        }
        for (final S3Object object : result.objects())
        {
            entry(xml, "Contents", object, params, fetchOwner);
        }
        commonPrefixes(xml, result.commonPrefixes(), params);
        return xml.close("ListBucketResult").toBytes();
    }

    static byte[] listObjectVersions(
        final ListParams params,
        final String keyMarker,
        final String versionIdMarker,
        final VersionListResult result,
        final Owner owner)
    {
        final int entries = result.versions().size() + result.commonPrefixes().size();
        final XmlWriter xml = new XmlWriter(256 + entries * CHARS_PER_ENTRY)
            .root("ListVersionsResult", XmlWriter.S3_NAMESPACE)
            .element("Name", params.bucket())
            .element("Prefix", params.encoded(params.prefix()));
        xml.element("KeyMarker", params.encoded(null == keyMarker ? "" : keyMarker))
            .element("VersionIdMarker", null == versionIdMarker ? "" : versionIdMarker);
        if (result.truncated())
        {
            xml.element("NextKeyMarker", params.encoded(result.nextKeyMarker()))
                .optional("NextVersionIdMarker", result.nextVersionIdMarker());
        }
        xml.element("MaxKeys", params.maxKeys());
        delimiterAndEncoding(xml, params);
        xml.element("IsTruncated", result.truncated());
        for (final S3Version version : result.versions())
        {
            final S3Object object = version.object();
            final String name = version.isDeleteMarker() ? "DeleteMarker" : "Version";
            xml.open(name).element("Key", params.encoded(object.key()))
                .element("VersionId", version.versionId())
                .element("IsLatest", version.latest())
                .element("LastModified", object.lastModified());
            if (!version.isDeleteMarker())
            {
                xml.etag("ETag", object.etag()).element("Size", object.sizeBytes());
            }
            if (null != owner)
            {
                owner(xml, "Owner", owner);
            }
            if (!version.isDeleteMarker())
            {
                xml.element("StorageClass", "STANDARD");
            }
            xml.close(name);
        }
        commonPrefixes(xml, result.commonPrefixes(), params);
        return xml.close("ListVersionsResult").toBytes();
    }

    /** Common prefixes, one {@code <CommonPrefixes>} element each, as S3 writes them. */
    static void commonPrefixes(final XmlWriter xml, final List<String> prefixes, final ListParams params)
    {
        for (final String prefix : prefixes)
        {
            xml.open("CommonPrefixes").element("Prefix", params.encoded(prefix)).close("CommonPrefixes");
        }
    }

    /** The delimiter (only when one was given) and {@code EncodingType} (only when asked for). */
    static void delimiterAndEncoding(final XmlWriter xml, final ListParams params)
    {
        if (!params.delimiter().isEmpty())
        {
            xml.element("Delimiter", params.encoded(params.delimiter()));
        }
        if (params.urlEncoding())
        {
            xml.element("EncodingType", "url");
        }
    }

    static void owner(final XmlWriter xml, final String name, final Owner owner)
    {
        xml.open(name).element("ID", owner.id()).element("DisplayName", owner.displayName()).close(name);
    }

    private static XmlWriter start(final String root, final ListParams params, final ListResult result)
    {
        final int entries = result.objects().size() + result.commonPrefixes().size();
        return new XmlWriter(256 + entries * CHARS_PER_ENTRY)
            .root(root, XmlWriter.S3_NAMESPACE)
            .element("Name", params.bucket())
            .element("Prefix", params.encoded(params.prefix()));
    }

    private static void entry(
        final XmlWriter xml,
        final String name,
        final S3Object object,
        final ListParams params,
        final Owner owner)
    {
        xml.open(name).element("Key", params.encoded(object.key()));
        xml.element("LastModified", object.lastModified())
            .etag("ETag", object.etag())
            .element("Size", object.sizeBytes());
        if (null != owner)
        {
            owner(xml, "Owner", owner);
        }
        xml.element("StorageClass", "STANDARD").close(name);
    }
}
