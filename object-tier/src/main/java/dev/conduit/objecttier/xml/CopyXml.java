package dev.conduit.objecttier.xml;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.conduit.objecttier.bucket.PartInfo;
import dev.conduit.objecttier.bucket.S3Object;

/** CopyObjectResult and CopyPartResult: the new ETag and time, and for an object its checksums. */
final class CopyXml
{
    /** The algorithms S3 reports; a map entry named otherwise is not a checksum S3 knows and is left out. */
    private static final Set<String> ALGORITHMS = Set.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");

    private CopyXml()
    {
    }

    static byte[] copyObject(final S3Object object)
    {
        final XmlWriter xml = new XmlWriter(384).root("CopyObjectResult", XmlWriter.S3_NAMESPACE)
            .element("LastModified", object.lastModified())
            .etag("ETag", object.etag());
        // S3 names each stored checksum ChecksumCRC32, ChecksumSHA256, ...; sorted so the answer is stable.
        for (final Map.Entry<String, String> checksum : new TreeMap<>(object.metadata().checksums()).entrySet())
        {
            if (ALGORITHMS.contains(checksum.getKey()))
            {
                xml.element("Checksum" + checksum.getKey(), checksum.getValue());
            }
        }
        return xml.close("CopyObjectResult").toBytes();
    }

    static byte[] copyPart(final PartInfo part)
    {
        return new XmlWriter(256).root("CopyPartResult", XmlWriter.S3_NAMESPACE)
            .element("LastModified", part.lastModified())
            .etag("ETag", part.etag())
            .close("CopyPartResult").toBytes();
    }
}
