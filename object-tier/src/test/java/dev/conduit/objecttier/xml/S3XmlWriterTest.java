package dev.conduit.objecttier.xml;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.BucketInfo;
import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.MultipartUpload;
import dev.conduit.objecttier.bucket.PartInfo;
import dev.conduit.objecttier.bucket.PartListing;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import dev.conduit.objecttier.bucket.UploadListing;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import static dev.conduit.objecttier.xml.ParsedXml.children;
import static dev.conduit.objecttier.xml.ParsedXml.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every document the writers produce, read back with the JDK's DOM parser and checked field by field. */
final class S3XmlWriterTest
{
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final Owner OWNER = new Owner("owner-id-1", "conduit");
    private static final Instant T1 = Instant.parse("2026-12-01T23:07:45.120Z");
    private static final Instant T2 = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void shouldWriteListAllMyBucketsWithOwnerAndMillisecondTimestamps()
    {
        final byte[] bytes = S3Xml.listAllMyBuckets(List.of(new BucketInfo("alpha", T1, false),
            new BucketInfo("beta", T2, true)), OWNER);
        final ParsedXml xml = ParsedXml.parse(bytes);

        assertRoot(xml, "ListAllMyBucketsResult");
        assertEquals("owner-id-1", xml.text("Owner", "ID"));
        assertEquals("conduit", xml.text("Owner", "DisplayName"));
        final List<Element> buckets = children((Element)xml.root().getElementsByTagNameNS(NS, "Buckets").item(0),
            "Bucket");
        assertEquals(2, buckets.size());
        assertEquals("alpha", text(buckets.get(0), "Name"));
        assertEquals("2026-12-01T23:07:45.120Z", text(buckets.get(0), "CreationDate"));
        assertEquals("beta", text(buckets.get(1), "Name"));
        assertEquals("2026-01-02T03:04:05.000Z", text(buckets.get(1), "CreationDate"));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }

    @Test
    void shouldWriteListObjectsV2PageWithTokensKeyCountOwnerAndCommonPrefixes()
    {
        final ListResult page = new ListResult(List.of(object("docs/a.txt", 5, "0cc175b9c0f1b6a831c399e269772661")),
            List.of("docs/sub/"), true, "docs/sub/");
        final byte[] bytes = S3Xml.listObjectsV2(new ListParams("bkt", "docs/", "/", 2, false), "docs/0", "tok-in",
            "tok-next", page, OWNER);
        final ParsedXml xml = ParsedXml.parse(bytes);

        assertRoot(xml, "ListBucketResult");
        assertTexts(xml,
            "Name", "bkt",
            "Prefix", "docs/",
            "ContinuationToken", "tok-in",
            "NextContinuationToken", "tok-next",
            "KeyCount", "2",
            "MaxKeys", "2",
            "Delimiter", "/",
            "IsTruncated", "true",
            "StartAfter", "docs/0");
        assertFalse(xml.has("EncodingType"));
        final Element contents = children(xml.root(), "Contents").getFirst();
        assertEquals("docs/a.txt", text(contents, "Key"));
        assertEquals("2026-12-01T23:07:45.120Z", text(contents, "LastModified"));
        assertEquals("\"0cc175b9c0f1b6a831c399e269772661\"", text(contents, "ETag"));
        assertEquals("5", text(contents, "Size"));
        assertEquals("owner-id-1", text(contents, "Owner", "ID"));
        assertEquals("STANDARD", text(contents, "StorageClass"));
        assertEquals("docs/sub/", text(children(xml.root(), "CommonPrefixes").getFirst(), "Prefix"));
        assertTrue(new String(bytes, StandardCharsets.UTF_8)
            .contains("<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag>"));
    }

    @Test
    void shouldLeaveOutOwnerTokensDelimiterAndStartAfterWhenNotAskedFor()
    {
        final ListResult page = new ListResult(List.of(object("k", 0, "d41d8cd98f00b204e9800998ecf8427e")), List.of(),
            false, "");
        final ParsedXml xml = ParsedXml.parse(S3Xml.listObjectsV2(new ListParams("bkt", "", "", 1000, false), "", "",
            "unused", page, null));

        assertEquals(List.of("Name", "Prefix", "KeyCount", "MaxKeys", "IsTruncated", "Contents"), xml.rootChildNames());
        assertEquals("", xml.text("Prefix"));
        assertEquals("false", xml.text("IsTruncated"));
        assertFalse(children(xml.root(), "Contents").getFirst().getElementsByTagNameNS(NS, "Owner").getLength() > 0);
    }

    @Test
    void shouldUrlEncodeKeysPrefixDelimiterStartAfterAndCommonPrefixesWhenAsked()
    {
        final ListResult page = new ListResult(List.of(object("a b/ü+%.txt", 1, "0cc175b9c0f1b6a831c399e269772661")),
            List.of("a b/x y#"), false, "");
        final ParsedXml xml = ParsedXml.parse(S3Xml.listObjectsV2(new ListParams("bkt", "a b/", "#", 10, true),
            "a b/0 0", "", "", page, null));

        assertTexts(xml,
            "EncodingType", "url",
            "Prefix", "a%20b/",
            "Delimiter", "%23",
            "StartAfter", "a%20b/0%200");
        assertEquals("a%20b/%C3%BC%2B%25.txt", xml.text("Contents", "Key"));
        assertEquals("a%20b/x%20y%23", xml.text("CommonPrefixes", "Prefix"));
        assertEquals("a b/ü+%.txt", URLDecoder.decode(xml.text("Contents", "Key"), StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteListObjectsV1WithOwnerMarkerAndNextMarkerOnlyWithDelimiter()
    {
        final ListResult page = new ListResult(List.of(object("b", 3, "900150983cd24fb0d6963f7d28e17f72")),
            List.of("c/"), true, "c/");
        final ParsedXml withDelimiter = ParsedXml.parse(S3Xml.listObjectsV1(new ListParams("bkt", "", "/", 2, false),
            "a", page, OWNER));
        final ParsedXml without = ParsedXml.parse(S3Xml.listObjectsV1(new ListParams("bkt", "", "", 2, false), "a",
            page, OWNER));

        assertRoot(withDelimiter, "ListBucketResult");
        assertTexts(withDelimiter,
            "Marker", "a",
            "NextMarker", "c/",
            "IsTruncated", "true");
        assertEquals("owner-id-1", withDelimiter.text("Contents", "Owner", "ID"));
        assertFalse(withDelimiter.has("KeyCount"));
        assertFalse(without.has("NextMarker"));
    }

    @Test
    void shouldWriteListVersionsWithNullVersionIdAndIsLatest()
    {
        final ListResult page = new ListResult(List.of(object("k1", 7, "e2fc714c4727ee9395f324cd2e7f331f")), List.of(),
            true, "k1");
        final ParsedXml xml = ParsedXml.parse(S3Xml.listObjectVersions(new ListParams("bkt", "k", "", 1, false), "", "",
            page, OWNER));

        assertRoot(xml, "ListVersionsResult");
        assertEquals("k1", xml.text("NextKeyMarker"));
        assertEquals("null", xml.text("NextVersionIdMarker"));
        final Element version = children(xml.root(), "Version").getFirst();
        assertEquals("k1", text(version, "Key"));
        assertEquals("null", text(version, "VersionId"));
        assertEquals("true", text(version, "IsLatest"));
        assertEquals("7", text(version, "Size"));
        assertEquals("\"e2fc714c4727ee9395f324cd2e7f331f\"", text(version, "ETag"));
    }

    @Test
    void shouldWriteInitiateAndCompleteMultipartResults()
    {
        final MultipartUpload upload = new MultipartUpload("bkt", "big & <bad>", "up-1", T1, S3Metadata.EMPTY);
        final ParsedXml initiate = ParsedXml.parse(S3Xml.initiateMultipartUploadResult(upload));
        assertRoot(initiate, "InitiateMultipartUploadResult");
        assertTexts(initiate,
            "Bucket", "bkt",
            "Key", "big & <bad>",
            "UploadId", "up-1");

        final ParsedXml complete = ParsedXml.parse(S3Xml.completeMultipartUploadResult("http://127.0.0.1:9400/bkt/big",
            object("big", 20 << 20, "c4ca4238a0b923820dcc509a6f75849b-4")));
        assertRoot(complete, "CompleteMultipartUploadResult");
        assertTexts(complete,
            "Location", "http://127.0.0.1:9400/bkt/big",
            "Bucket", "bkt",
            "Key", "big",
            "ETag", "\"c4ca4238a0b923820dcc509a6f75849b-4\"");
    }

    @Test
    void shouldWriteListPartsPage()
    {
        final MultipartUpload upload = new MultipartUpload("bkt", "big", "up-1", T1, S3Metadata.EMPTY);
        final PartListing listing = new PartListing(upload,
            List.of(new PartInfo(2, "aa", 5 << 20, T1), new PartInfo(3, "\"bb\"", 10, T2)), true, 3);
        final ParsedXml xml = ParsedXml.parse(S3Xml.listParts(listing, 1, 2, OWNER));

        assertRoot(xml, "ListPartsResult");
        assertTexts(xml,
            "UploadId", "up-1",
            "Initiator/ID", "owner-id-1",
            "Owner/DisplayName", "conduit",
            "StorageClass", "STANDARD",
            "PartNumberMarker", "1",
            "NextPartNumberMarker", "3",
            "MaxParts", "2",
            "IsTruncated", "true");
        final List<Element> parts = children(xml.root(), "Part");
        assertEquals(2, parts.size());
        assertEquals("2", text(parts.get(0), "PartNumber"));
        assertEquals("\"aa\"", text(parts.get(0), "ETag"));
        assertEquals(Long.toString(5 << 20), text(parts.get(0), "Size"));
        assertEquals("2026-12-01T23:07:45.120Z", text(parts.get(0), "LastModified"));
        assertEquals("\"bb\"", text(parts.get(1), "ETag"), "an ETag already in quotes is not quoted twice");
    }

    @Test
    void shouldWriteListMultipartUploadsPage()
    {
        final UploadListing listing = new UploadListing(
            List.of(new MultipartUpload("bkt", "p/a", "u1", T1, S3Metadata.EMPTY)), List.of("p/d/"), true, "p/a", "u1");
        final ParsedXml xml = ParsedXml.parse(S3Xml.listMultipartUploads(new ListParams("bkt", "p/", "/", 1, false), "",
            "", listing, OWNER));

        assertRoot(xml, "ListMultipartUploadsResult");
        assertTexts(xml,
            "Bucket", "bkt",
            "NextKeyMarker", "p/a",
            "NextUploadIdMarker", "u1",
            "Prefix", "p/",
            "Delimiter", "/",
            "MaxUploads", "1",
            "IsTruncated", "true",
            "Upload/Key", "p/a",
            "Upload/UploadId", "u1",
            "Upload/Initiator/ID", "owner-id-1",
            "Upload/Initiated", "2026-12-01T23:07:45.120Z",
            "CommonPrefixes/Prefix", "p/d/");
    }

    @Test
    void shouldWriteCopyResultsWithQuotedEtagAndKnownChecksumsOnly()
    {
        final S3Metadata metadata = S3Metadata.EMPTY.withChecksums(Map.of("CRC32", "AAAAAA==", "SHA256", "abc=",
            "bogus", "x"));
        final S3Object copy = new S3Object("bkt", "k", 3, "900150983cd24fb0d6963f7d28e17f72", T1, metadata, null);
        final ParsedXml object = ParsedXml.parse(S3Xml.copyObjectResult(copy));
        assertRoot(object, "CopyObjectResult");
        assertEquals(List.of("LastModified", "ETag", "ChecksumCRC32", "ChecksumSHA256"), object.rootChildNames());
        assertEquals("\"900150983cd24fb0d6963f7d28e17f72\"", object.text("ETag"));
        assertEquals("AAAAAA==", object.text("ChecksumCRC32"));

        final ParsedXml part = ParsedXml.parse(S3Xml.copyPartResult(new PartInfo(4, "abc", 9, T2)));
        assertRoot(part, "CopyPartResult");
        assertEquals("2026-01-02T03:04:05.000Z", part.text("LastModified"));
        assertEquals("\"abc\"", part.text("ETag"));
    }

    @Test
    void shouldWriteTaggingSortedByKeyWithEscapedValues()
    {
        final Map<String, String> tags = Map.of("b", "2", "a", "1 & <one>", "c", "");
        final byte[] bytes = S3Xml.tagging(tags);
        final ParsedXml xml = ParsedXml.parse(bytes);

        assertRoot(xml, "Tagging");
        final List<Element> tagList = children((Element)xml.root().getElementsByTagNameNS(NS, "TagSet").item(0), "Tag");
        assertEquals(List.of("a", "b", "c"), tagList.stream().map(t -> text(t, "Key")).toList());
        assertEquals("1 & <one>", text(tagList.get(0), "Value"));
        assertEquals("", text(tagList.get(2), "Value"));
    }

    @Test
    void shouldWriteDeleteResultAndLeaveOutDeletedEntriesWhenQuiet()
    {
        final List<DeleteOutcome> outcomes = List.of(
            DeleteOutcome.deleted("gone", ""),
            DeleteOutcome.failed("stuck", "", S3Error.InternalError, ""),
            DeleteOutcome.deleted("v", "null"));
        final ParsedXml loud = ParsedXml.parse(S3Xml.deleteResult(outcomes, false));
        final ParsedXml quiet = ParsedXml.parse(S3Xml.deleteResult(outcomes, true));

        assertRoot(loud, "DeleteResult");
        assertEquals(List.of("Deleted", "Error", "Deleted"), loud.rootChildNames());
        assertEquals("gone", loud.text("Deleted", "Key"));
        assertFalse(loud.has("Deleted", "VersionId"));
        assertEquals("null", text(children(loud.root(), "Deleted").get(1), "VersionId"));
        assertTexts(loud,
            "Error/Key", "stuck",
            "Error/Code", "InternalError",
            "Error/Message", S3Error.InternalError.defaultMessage());
        assertEquals(List.of("Error"), quiet.rootChildNames());
    }

    @Test
    void shouldWriteEmptyLocationConstraintForUsEast1AndTheRegionOtherwise()
    {
        final ParsedXml east = ParsedXml.parse(S3Xml.locationConstraint("us-east-1"));
        final ParsedXml west = ParsedXml.parse(S3Xml.locationConstraint("eu-west-1"));

        assertRoot(east, "LocationConstraint");
        assertEquals("", east.root().getTextContent());
        assertEquals("eu-west-1", west.root().getTextContent());
    }

    @Test
    void shouldWriteOwnerFullControlAndAllUsersReadOnlyWhenPublic()
    {
        final ParsedXml closed = ParsedXml.parse(S3Xml.accessControlPolicy(OWNER, false));
        final byte[] publicBytes = S3Xml.accessControlPolicy(OWNER, true);
        final ParsedXml open = ParsedXml.parse(publicBytes);

        assertRoot(closed, "AccessControlPolicy");
        assertEquals("owner-id-1", closed.text("Owner", "ID"));
        final Element closedAcl = children(closed.root(), "AccessControlList").getFirst();
        assertEquals(1, children(closedAcl, "Grant").size());
        assertEquals("owner-id-1", text(closedAcl, "Grant", "Grantee", "ID"));
        assertEquals("FULL_CONTROL", text(closedAcl, "Grant", "Permission"));
        assertEquals("CanonicalUser", ((Element)closedAcl.getElementsByTagNameNS(NS, "Grantee").item(0))
            .getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type"));

        final List<Element> grants = children(children(open.root(), "AccessControlList").getFirst(), "Grant");
        assertEquals(2, grants.size());
        assertEquals("http://acs.amazonaws.com/groups/global/AllUsers", text(grants.get(1), "Grantee", "URI"));
        assertEquals("READ", text(grants.get(1), "Permission"));
        assertTrue(S3Xml.parseAccessControlPolicy(publicBytes));
        assertFalse(S3Xml.parseAccessControlPolicy(S3Xml.accessControlPolicy(OWNER, false)));
    }

    @Test
    void shouldWriteErrorWithoutNamespaceWithResourceRequestIdAndHostId()
    {
        final ParsedXml xml = ParsedXml.parse(S3Xml.error(new S3Exception(S3Error.NoSuchKey, "gone", "/bkt/k"), "req-1",
            "host-1"));
        final ParsedXml bare = ParsedXml.parse(S3Xml.error(S3Error.AccessDenied, "", "", "req-2", "host-2"));

        assertEquals("Error", xml.root().getLocalName());
        assertEquals(null, xml.root().getNamespaceURI());
        assertEquals(List.of("Code", "Message", "Resource", "RequestId", "HostId"), xml.rootChildNames());
        assertTexts(xml,
            "Code", "NoSuchKey",
            "Message", "gone",
            "Resource", "/bkt/k",
            "RequestId", "req-1",
            "HostId", "host-1");
        assertEquals("Access Denied", bare.text("Message"));
        assertFalse(bare.has("Resource"));
    }

    private static S3Object object(final String key, final long size, final String etag)
    {
        return new S3Object("bkt", key, size, etag, T1, S3Metadata.EMPTY, null);
    }

    /**
     * Checks several elements at once, each failure naming its element.
     *
     * @param xml           the document.
     * @param namesAndTexts element path under the root ("Owner/ID"), expected text, path, expected text, ...
     */
    private static void assertTexts(final ParsedXml xml, final String... namesAndTexts)
    {
        if (namesAndTexts.length % 2 != 0)
        {
            throw new IllegalArgumentException("names and texts come in pairs: " + List.of(namesAndTexts));
        }
        for (int i = 0; i < namesAndTexts.length; i += 2)
        {
            assertEquals(namesAndTexts[i + 1], xml.text(namesAndTexts[i].split("/")), namesAndTexts[i]);
        }
    }

    private static void assertRoot(final ParsedXml xml, final String name)
    {
        assertEquals(name, xml.root().getLocalName());
        assertEquals(NS, xml.root().getNamespaceURI());
    }
}
