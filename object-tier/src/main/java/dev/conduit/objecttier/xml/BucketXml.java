package dev.conduit.objecttier.xml;

import java.util.List;

import dev.conduit.blocklayout.VersioningMode;
import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketInfo;

/**
 * The bucket-level documents: ListAllMyBucketsResult, LocationConstraint and the minimal
 * AccessControlPolicy Conduit supports (owner FULL_CONTROL, optionally AllUsers READ), plus the
 * CreateBucketConfiguration and AccessControlPolicy request bodies.
 */
final class BucketXml
{
    static final String ALL_USERS_URI = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";

    private static final String US_EAST_1 = "us-east-1";

    private BucketXml()
    {
    }

    static byte[] listAllMyBuckets(final List<BucketInfo> buckets, final Owner owner)
    {
        final XmlWriter xml = new XmlWriter(256 + buckets.size() * 128)
            .root("ListAllMyBucketsResult", XmlWriter.S3_NAMESPACE);
        ListingXml.owner(xml, "Owner", owner);
        xml.open("Buckets");
        for (final BucketInfo bucket : buckets)
        {
            xml.open("Bucket").element("Name", bucket.name()).element("CreationDate", bucket.created()).close("Bucket");
        }
        return xml.close("Buckets").close("ListAllMyBucketsResult").toBytes();
    }

    /** S3 answers an empty constraint for us-east-1, its original region, and the region's name for any other. */
    static byte[] locationConstraint(final String region)
    {
        final String constraint = null == region || US_EAST_1.equals(region) ? "" : region;
        return new XmlWriter(160).root("LocationConstraint", XmlWriter.S3_NAMESPACE).text(constraint)
            .close("LocationConstraint").toBytes();
    }

    static byte[] accessControlPolicy(final Owner owner, final boolean publicRead)
    {
        final XmlWriter xml = new XmlWriter(768).root("AccessControlPolicy", XmlWriter.S3_NAMESPACE);
        ListingXml.owner(xml, "Owner", owner);
        xml.open("AccessControlList").open("Grant")
            .openWithAttributes("Grantee", "xmlns:xsi=\"" + XSI_NAMESPACE + "\" xsi:type=\"CanonicalUser\"")
            .element("ID", owner.id()).element("DisplayName", owner.displayName())
            .close("Grantee").element("Permission", "FULL_CONTROL").close("Grant");
        if (publicRead)
        {
            xml.open("Grant")
                .openWithAttributes("Grantee", "xmlns:xsi=\"" + XSI_NAMESPACE + "\" xsi:type=\"Group\"")
                .element("URI", ALL_USERS_URI)
                .close("Grantee").element("Permission", "READ").close("Grant");
        }
        return xml.close("AccessControlList").close("AccessControlPolicy").toBytes();
    }

    /** An empty body means the default region, as S3 treats a CreateBucket without configuration. */
    static String parseCreateBucketConfiguration(final byte[] body)
    {
        if (null == body || body.length == 0)
        {
            return "";
        }
        final String constraint = SafeXmlReader.read(body, "CreateBucketConfiguration")
            .optionalText("LocationConstraint");
        return null == constraint ? "" : constraint.strip();
    }

    static byte[] versioningConfiguration(final VersioningMode versioning)
    {
        final XmlWriter xml = new XmlWriter(160).root("VersioningConfiguration", XmlWriter.S3_NAMESPACE);
        if (versioning != VersioningMode.OFF)
        {
            xml.element("Status", versioning == VersioningMode.ENABLED ? "Enabled" : "Suspended");
        }
        return xml.close("VersioningConfiguration").toBytes();
    }

    /** Reads a PutBucketVersioning body: Status Enabled or Suspended (MFA delete is not supported). */
    static VersioningMode parseVersioningConfiguration(final byte[] body)
    {
        final XmlElement configuration = SafeXmlReader.read(body, "VersioningConfiguration");
        final String mfa = configuration.optionalText("MfaDelete");
        if (null != mfa && !"Disabled".equals(mfa.strip()))
        {
            throw new S3Exception(S3Error.NotImplemented, "MFA delete is not supported", "MfaDelete");
        }
        final String status = configuration.optionalText("Status");
        return switch (null == status ? "" : status.strip())
        {
            case "Enabled" -> VersioningMode.ENABLED;
            case "Suspended" -> VersioningMode.SUSPENDED;
            default -> throw new S3Exception(S3Error.IllegalVersioningConfigurationException,
                "The versioning status must be Enabled or Suspended", "Status");
        };
    }

    /**
     * Reads a PutBucketAcl body. Owner FULL_CONTROL grants are what every bucket has; a READ grant
     * to AllUsers makes it public. Anything else is a permission model Conduit does not have.
     */
    static boolean parseAccessControlPolicy(final byte[] body)
    {
        final XmlElement acl = SafeXmlReader.read(body, "AccessControlPolicy").required("AccessControlList");
        boolean publicRead = false;
        for (final XmlElement grant : acl.all("Grant"))
        {
            final XmlElement grantee = grant.required("Grantee");
            final String permission = grant.required("Permission").text().strip();
            final String uri = grantee.optionalText("URI");
            if (null != uri)
            {
                if (!ALL_USERS_URI.equals(uri.strip()) || !"READ".equals(permission))
                {
                    throw notImplemented("only READ for AllUsers can be granted to a group");
                }
                publicRead = true;
            }
            else if (!"FULL_CONTROL".equals(permission))
            {
                throw notImplemented("only the owner's FULL_CONTROL can be granted to a user");
            }
        }
        return publicRead;
    }

    private static S3Exception notImplemented(final String message)
    {
        return new S3Exception(S3Error.NotImplemented, message, "");
    }
}
