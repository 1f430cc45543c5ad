package dev.conduit.objecttier.xml;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.CompletedPart;
import dev.conduit.objecttier.bucket.MultipartUpload;
import dev.conduit.objecttier.bucket.PartInfo;
import dev.conduit.objecttier.bucket.PartListing;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.bucket.UploadListing;

/**
 * The multipart-upload documents: InitiateMultipartUploadResult, CompleteMultipartUploadResult,
 * ListPartsResult and ListMultipartUploadsResult, and the CompleteMultipartUpload request body.
 */
final class MultipartXml
{
    /** S3's part-number range, and so the most parts one upload can name. */
    static final int MAX_PARTS = 10_000;

    private MultipartXml()
    {
    }

    static byte[] initiate(final MultipartUpload upload)
    {
        return new XmlWriter(384).root("InitiateMultipartUploadResult", XmlWriter.S3_NAMESPACE)
            .element("Bucket", upload.bucket())
            .element("Key", upload.key())
            .element("UploadId", upload.uploadId())
            .close("InitiateMultipartUploadResult").toBytes();
    }

    static byte[] complete(final String location, final S3Object object)
    {
        return new XmlWriter(512).root("CompleteMultipartUploadResult", XmlWriter.S3_NAMESPACE)
            .element("Location", location)
            .element("Bucket", object.bucket())
            .element("Key", object.key())
            .etag("ETag", object.etag())
            .close("CompleteMultipartUploadResult").toBytes();
    }

    static byte[] listParts(
        final PartListing listing,
        final int partNumberMarker,
        final int maxParts,
        final Owner owner)
    {
        final MultipartUpload upload = listing.upload();
        final XmlWriter xml = new XmlWriter(768 + listing.parts().size() * 192)
            .root("ListPartsResult", XmlWriter.S3_NAMESPACE)
            .element("Bucket", upload.bucket())
            .element("Key", upload.key())
            .element("UploadId", upload.uploadId());
        ListingXml.owner(xml, "Initiator", owner);
        ListingXml.owner(xml, "Owner", owner);
        xml.element("StorageClass", "STANDARD")
            .element("PartNumberMarker", partNumberMarker);
        if (listing.truncated())
        {
            xml.element("NextPartNumberMarker", listing.nextPartNumberMarker());
        }
        xml.element("MaxParts", maxParts).element("IsTruncated", listing.truncated());
        for (final PartInfo part : listing.parts())
        {
            xml.open("Part")
                .element("PartNumber", part.partNumber())
                .element("LastModified", part.lastModified())
                .etag("ETag", part.etag())
                .element("Size", part.sizeBytes())
                .close("Part");
        }
        return xml.close("ListPartsResult").toBytes();
    }

    static byte[] listUploads(
        final ListParams params,
        final String keyMarker,
        final String uploadIdMarker,
        final UploadListing listing,
        final Owner owner)
    {
        final XmlWriter xml = new XmlWriter(512 + listing.uploads().size() * 384)
            .root("ListMultipartUploadsResult", XmlWriter.S3_NAMESPACE)
            .element("Bucket", params.bucket())
            .element("KeyMarker", params.encoded(null == keyMarker ? "" : keyMarker))
            .element("UploadIdMarker", null == uploadIdMarker ? "" : uploadIdMarker);
        if (listing.truncated())
        {
            xml.element("NextKeyMarker", params.encoded(listing.nextKeyMarker()))
                .element("NextUploadIdMarker", listing.nextUploadIdMarker());
        }
        xml.element("Prefix", params.encoded(params.prefix()));
        ListingXml.delimiterAndEncoding(xml, params);
        xml.element("MaxUploads", params.maxKeys()).element("IsTruncated", listing.truncated());
        for (final MultipartUpload upload : listing.uploads())
        {
            xml.open("Upload")
                .element("Key", params.encoded(upload.key()))
                .element("UploadId", upload.uploadId());
            ListingXml.owner(xml, "Initiator", owner);
            ListingXml.owner(xml, "Owner", owner);
            xml.element("StorageClass", "STANDARD")
                .element("Initiated", upload.initiated())
                .close("Upload");
        }
        ListingXml.commonPrefixes(xml, listing.commonPrefixes(), params);
        return xml.close("ListMultipartUploadsResult").toBytes();
    }

    /**
     * Parts in the client's order; whether that order is ascending and whether the ETags match is
     * the bucket layer's check ({@code InvalidPartOrder}, {@code InvalidPart}). Elements S3 allows in
     * a part besides these two (checksums) are ignored.
     */
    static List<CompletedPart> parseComplete(final byte[] body)
    {
        final List<XmlElement> parts = SafeXmlReader.read(body, "CompleteMultipartUpload").all("Part");
        if (parts.isEmpty())
        {
            throw XmlElement.malformed("no <Part>");
        }
        if (parts.size() > MAX_PARTS)
        {
            throw XmlElement.malformed("more than " + MAX_PARTS + " parts");
        }
        final List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (final XmlElement part : parts)
        {
            final int number = partNumber(part.required("PartNumber").text().strip());
            final String etag = part.required("ETag").text().strip();
            if (etag.isEmpty())
            {
                throw XmlElement.malformed("part " + number + " has an empty <ETag>");
            }
            completed.add(new CompletedPart(number, etag));
        }
        return completed;
    }

    private static int partNumber(final String text)
    {
        final int number;
        try
        {
            number = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw XmlElement.malformed("<PartNumber> is not a number: " + text);
        }
        if (number < 1 || number > MAX_PARTS)
        {
            throw new S3Exception(S3Error.InvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive", "");
        }
        return number;
    }
}
