package dev.conduit.objecttier.xml;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.CompletedPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-body readers: valid documents, S3's limits, malformed input and XXE attempts. */
@Timeout(30)
final class S3XmlParserTest
{
    private static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    @Test
    void shouldReadCompleteMultipartUploadInTheClientsOrderWithAndWithoutNamespace()
    {
        final String doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload" + NS + ">" +
            "<Part><ETag>\"aa\"</ETag><PartNumber>2</PartNumber></Part>\n  " +
            "<Part><PartNumber> 1 </PartNumber><ETag>bb</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>" +
            "</CompleteMultipartUpload>";

        assertEquals(List.of(new CompletedPart(2, "\"aa\""), new CompletedPart(1, "bb")),
            S3Xml.parseCompleteMultipartUpload(bytes(doc)));
        assertEquals(List.of(new CompletedPart(7, "cc")), S3Xml.parseCompleteMultipartUpload(
            bytes("<CompleteMultipartUpload><Part><PartNumber>7</PartNumber><ETag>cc</ETag></Part>" +
                "</CompleteMultipartUpload>")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag> </ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>a</ETag></Part>" +
            "</CompleteMultipartUpload>",
        "<Complete><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part></Complete>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>",
    })
    void shouldRefuseMalformedCompleteMultipartUpload(final String doc)
    {
        assertError(S3Error.MalformedXML, () -> S3Xml.parseCompleteMultipartUpload(bytes(doc)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 10_001})
    void shouldRefusePartNumbersOutsideS3sRange(final int number)
    {
        final String doc = "<CompleteMultipartUpload><Part><PartNumber>" + number +
            "</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>";
        assertError(S3Error.InvalidArgument, () -> S3Xml.parseCompleteMultipartUpload(bytes(doc)));
    }

    @Test
    void shouldReadDeleteKeysExactlyWithVersionIdsAndQuietFlag()
    {
        final String doc = "<Delete" + NS + "><Quiet>true</Quiet>" +
            "<Object><Key> spaced key </Key></Object>" +
            "<Object><Key>a&amp;b&#13;</Key><VersionId>null</VersionId><ETag>ignored</ETag></Object></Delete>";
        final DeleteRequest request = S3Xml.parseDelete(bytes(doc));

        assertTrue(request.quiet());
        assertEquals(List.of(new DeleteRequest.ObjectToDelete(" spaced key ", ""),
            new DeleteRequest.ObjectToDelete("a&b\r", "null")),
            request.objects());
        assertFalse(S3Xml.parseDelete(bytes("<Delete><Object><Key>k</Key></Object></Delete>")).quiet());
        assertFalse(S3Xml.parseDelete(bytes("<Delete><Quiet>false</Quiet><Object><Key>k</Key></Object></Delete>"))
            .quiet());
    }

    @Test
    void shouldAcceptAThousandDeleteKeysAndRefuseOneMore()
    {
        assertEquals(S3Xml.MAX_DELETE_KEYS, S3Xml.parseDelete(deleteOf(S3Xml.MAX_DELETE_KEYS)).objects().size());
        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(deleteOf(S3Xml.MAX_DELETE_KEYS + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<Delete></Delete>",
        "<Delete><Object></Object></Delete>",
        "<Delete><Object><Key></Key></Object></Delete>",
        "<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>",
        "<Delete><Object><Key>k</Key></Object></Delete><Delete/>",
        "not xml at all",
        "<Delete><Object><Key>k</Key></Object>",
    })
    void shouldRefuseMalformedDelete(final String doc)
    {
        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(bytes(doc)));
    }

    @Test
    void shouldReadTagsInDocumentOrderAndAcceptS3sLimits()
    {
        // 128 code points (a non-BMP letter last), 129 UTF-16 units.
        final String longKey = "k".repeat(127) + "\uD835\uDC9C";
        final String doc = "<Tagging" + NS + "><TagSet>" +
            "<Tag><Key>project</Key><Value>conduit</Value></Tag>" +
            "<Tag><Key>" + longKey + "</Key><Value>" + "v".repeat(256) + "</Value></Tag>" +
            "<Tag><Key>a+-=._:/@ b</Key><Value></Value></Tag>" +
            "</TagSet></Tagging>";
        final Map<String, String> tags = S3Xml.parseTagging(bytes(doc));

        assertEquals(List.of("project", longKey, "a+-=._:/@ b"), List.copyOf(tags.keySet()));
        assertEquals("", tags.get("a+-=._:/@ b"));
    }

    @Test
    void shouldRefuseTagSetsThatBreakS3sRulesWithInvalidTag()
    {
        final Function<String, String> tag = kv -> "<Tag>" + kv + "</Tag>";
        final List<String> badSets = List.of(
            tag.apply("<Key>a</Key><Value>1</Value>") + tag.apply("<Key>a</Key><Value>2</Value>"),
            tag.apply("<Key>aws:reserved</Key><Value>1</Value>"),
            tag.apply("<Key></Key><Value>1</Value>"),
            tag.apply("<Key>" + "k".repeat(129) + "</Key><Value>1</Value>"),
            tag.apply("<Key>k</Key><Value>" + "v".repeat(257) + "</Value>"),
            tag.apply("<Key>semi;colon</Key><Value>1</Value>"),
            tag.apply("<Key>k</Key><Value>a&lt;b</Value>"),
            tag.apply("<Key>k</Key><Value>emoji\uD83D\uDE00</Value>"),
            elevenTags());
        for (final String set : badSets)
        {
            assertError(S3Error.InvalidTag,
                () -> S3Xml.parseTagging(bytes("<Tagging><TagSet>" + set + "</TagSet></Tagging>")));
        }
        assertError(S3Error.InvalidTag, () -> S3Xml.validateTags(Map.of("aws:x", "1")));
        assertError(S3Error.MalformedXML,
            () -> S3Xml.parseTagging(bytes("<Tagging><Tag><Key>a</Key><Value>1</Value></Tag></Tagging>")));
        assertError(S3Error.MalformedXML,
            () -> S3Xml.parseTagging(bytes("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>")));
    }

    @Test
    void shouldReadLocationConstraintAndTreatAnEmptyBodyAsTheDefaultRegion()
    {
        final String doc = "<CreateBucketConfiguration" + NS +
            "><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>";

        assertEquals("eu-west-1", S3Xml.parseCreateBucketConfiguration(bytes(doc)));
        assertEquals("", S3Xml.parseCreateBucketConfiguration(new byte[0]));
        assertEquals("", S3Xml.parseCreateBucketConfiguration(bytes("<CreateBucketConfiguration/>")));
        assertError(S3Error.MalformedXML,
            () -> S3Xml.parseCreateBucketConfiguration(bytes("<LocationConstraint>x</LocationConstraint>")));
    }

    @Test
    void shouldRefuseAclGrantsBeyondOwnerFullControlAndAllUsersRead()
    {
        final String writeForAll = "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant>" +
            "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\">" +
            "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>WRITE</Permission>" +
            "</Grant></AccessControlList></AccessControlPolicy>";

        assertError(S3Error.NotImplemented, () -> S3Xml.parseAccessControlPolicy(bytes(writeForAll)));
        assertError(S3Error.MalformedXML, () -> S3Xml.parseAccessControlPolicy(bytes("<AccessControlPolicy/>")));
    }

    @Test
    void shouldRefuseAnExternalEntityWithoutReadingTheFile(@TempDir final Path dir) throws IOException
    {
        final Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        final String doc = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY xxe SYSTEM \"" + secret.toUri() +
            "\">]>" +
            "<Delete><Object><Key>&xxe;</Key></Object></Delete>";

        final S3Exception refused = assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(bytes(doc)));
        assertFalse(String.valueOf(refused.getMessage()).contains("TOP-SECRET"));
    }

    @Test
    void shouldRefuseAnExternalDtdWithoutConnectingToIt() throws IOException
    {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final String url = "http://127.0.0.1:" + listener.getLocalPort() + "/evil.dtd";
            final String doc = "<?xml version=\"1.0\"?><!DOCTYPE Tagging SYSTEM \"" + url + "\">" +
                "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>";

            assertError(S3Error.MalformedXML, () -> S3Xml.parseTagging(bytes(doc)));
            listener.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, listener::accept, "the parser must not have fetched the DTD");
        }
    }

    @Test
    void shouldRefuseInternalEntityExpansion()
    {
        final StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY l0 \"lol\">");
        for (int i = 1; i < 10; i++)
        {
            doc.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        doc.append("]><Delete><Object><Key>&l9;</Key></Object></Delete>");

        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(bytes(doc.toString())));
        assertError(S3Error.MalformedXML,
            () -> S3Xml.parseDelete(bytes("<!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>")));
    }

    @Test
    void shouldRefuseBodiesOverTheCapAndDeepNestingBeforeBuildingThem()
    {
        final byte[] huge = new byte[S3Xml.MAX_XML_BODY_BYTES + 1];
        Arrays.fill(huge, (byte)' ');
        final byte[] head = bytes("<Delete><Object><Key>k</Key></Object></Delete>");
        System.arraycopy(head, 0, huge, 0, head.length);

        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(huge));
        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(
            bytes("<Delete>" + "<a>".repeat(100) + "</a>".repeat(100) + "<Object><Key>k</Key></Object></Delete>")));
        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(null));
        assertError(S3Error.MalformedXML, () -> S3Xml.parseDelete(new byte[] {(byte)0xFF, (byte)0xFE, 0, 1, 2}));
    }

    @Test
    void shouldReadWhatTheWritersWrite()
    {
        final Map<String, String> tags = Map.of("k1", "v 1", "k2", "x/y@z");
        assertEquals(tags, S3Xml.parseTagging(S3Xml.tagging(tags)));
    }

    private static String elevenTags()
    {
        final StringBuilder set = new StringBuilder();
        final AtomicInteger n = new AtomicInteger();
        while (n.incrementAndGet() <= 11)
        {
            set.append("<Tag><Key>k").append(n.get()).append("</Key><Value>v</Value></Tag>");
        }
        return set.toString();
    }

    private static byte[] deleteOf(final int keys)
    {
        final StringBuilder doc = new StringBuilder("<Delete>");
        for (int i = 0; i < keys; i++)
        {
            doc.append("<Object><Key>key-").append(i).append("</Key></Object>");
        }
        return bytes(doc.append("</Delete>").toString());
    }

    private static S3Exception assertError(final S3Error expected, final Executable call)
    {
        final S3Exception thrown = assertThrows(S3Exception.class, call);
        assertEquals(expected, thrown.error(), thrown.getMessage());
        return thrown;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
