package dev.conduit.objecttier.bucket;

import java.util.HashMap;
import java.util.Map;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.objecttier.S3Error;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MetadataCodec}: any S3 metadata within S3's limits survives the trip through the store's
 * representation exactly, including names that look like the codec's own reserved names; and
 * every limit is enforced on both sides of its edge.
 */
class BucketMetadataCodecTest
{
    @Property(tries = 300)
    void shouldRoundTripAnyMetadataExactly(@ForAll("metadata") final S3Metadata metadata)
    {
        final ObjectMetadata stored = MetadataCodec.encode(metadata);
        assertEquals(metadata, MetadataCodec.decode(stored.contentType(), stored.userMetadata()));
    }

    @Example
    void shouldKeepUserNamesThatLookLikeReservedNamesApart()
    {
        final S3Metadata metadata = new S3Metadata("text/plain", "", "", "", "", "",
            Map.of("h:cache-control", "user", "t:x", "user", "m:y", "user", "cache-control", "user"),
            Map.of("m:y", "tag", "c:CRC32", "tag"), Map.of("t:x", "sum"));
        final ObjectMetadata stored = MetadataCodec.encode(metadata);
        assertEquals(metadata, MetadataCodec.decode(stored.contentType(), stored.userMetadata()));
        assertEquals("", MetadataCodec.decode(stored.contentType(), stored.userMetadata()).cacheControl());
    }

    @Example
    void shouldKeepAContentTypeLongerThanTheStoreField()
    {
        final String longType = "application/x-" + "v".repeat(300);
        final S3Metadata withLongType = new S3Metadata(longType, "", "", "", "", "", Map.of(), Map.of(), Map.of());
        final ObjectMetadata storedLong = MetadataCodec.encode(withLongType);
        assertTrue(storedLong.contentType().isEmpty(), "the store field holds at most 255 bytes");
        assertEquals(longType, MetadataCodec.decode(storedLong.contentType(), storedLong.userMetadata()).contentType());
    }

    @Example
    void shouldLimitUserMetadataTo2KiB()
    {
        // Names and values together: 1 + 2047 bytes is the limit, one more byte is refused.
        MetadataCodec.encode(userOnly(Map.of("k", "v".repeat(2047))));
        assertS3Error(S3Error.MetadataTooLarge, () -> MetadataCodec.encode(userOnly(Map.of("k", "v".repeat(2048)))));
        assertS3Error(S3Error.MetadataTooLarge, () -> MetadataCodec.encode(userOnly(Map.of("k", "é".repeat(1024)))));
    }

    @Example
    void shouldEnforceTagRules()
    {
        final Map<String, String> ten = new HashMap<>();
        for (int i = 0; i < 10; i++)
        {
            ten.put("k" + i, "v");
        }
        MetadataCodec.checkTags(ten);
        ten.put("k10", "v");
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.checkTags(ten));

        MetadataCodec.checkTags(Map.of("😀".repeat(128), "😀".repeat(256)));
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.checkTags(Map.of("k".repeat(129), "v")));
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.checkTags(Map.of("k", "v".repeat(257))));
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.checkTags(Map.of("", "v")));
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.checkTags(Map.of("aws:created", "v")));
        assertS3Error(S3Error.InvalidTag, () -> MetadataCodec.encode(S3Metadata.EMPTY.withTags(Map.of("k".repeat(129), "v"))));
    }

    @Example
    void shouldRefuseMetadataTheStoreCannotHoldAsMetadataTooLarge()
    {
        // Each header is unlimited in S3's rules; together they pass the store's 8 KiB.
        final String big = "x".repeat(3000);
        final S3Metadata metadata = new S3Metadata("", big, big, big, "", "", Map.of(), Map.of(), Map.of());
        assertS3Error(S3Error.MetadataTooLarge, () -> MetadataCodec.encode(metadata));
    }

    @Provide
    Arbitrary<S3Metadata> metadata()
    {
        final Arbitrary<String> header = text(0, 40);
        final Arbitrary<Map<String, String>> user = Arbitraries.maps(text(1, 20), text(0, 40)).ofMaxSize(8);
        final Arbitrary<Map<String, String>> tags = Arbitraries.maps(text(1, 30), text(0, 50)).ofMaxSize(10);
        final Arbitrary<Map<String, String>> checksums = Arbitraries.maps(
            Arbitraries.of("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "m:odd", "h:expires"), text(0, 44)).ofMaxSize(3);
        return Combinators.combine(
            Arbitraries.of("", "text/plain", "application/json; charset=utf-8", "application/x-" + "v".repeat(280)),
            Combinators.combine(header, header, header, header, header).as(HeaderSet::new),
            user, tags, checksums)
            .as((type, h, u, t, c) -> new S3Metadata(type, h.encoding(), h.cache(), h.disposition(), h.language(), h.expires(), u, t, c));
    }

    /** Valid Unicode (no lone surrogates, which no HTTP header can carry), any plane, NUL and ':' included. */
    private static Arbitrary<String> text(final int minLength, final int maxLength)
    {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(2, Arbitraries.integers().between(0, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, Arbitraries.of((int)':', (int)'h', (int)'m', (int)'t', (int)'c')))
            .list().ofMinSize(minLength).ofMaxSize(maxLength)
            .map(codePoints -> new String(codePoints.stream().mapToInt(Integer::intValue).toArray(), 0, codePoints.size()));
    }

    private static S3Metadata userOnly(final Map<String, String> user)
    {
        return new S3Metadata("", "", "", "", "", "", user, Map.of(), Map.of());
    }

    /** The five free-text headers, generated together. */
    private record HeaderSet(String encoding, String cache, String disposition, String language, String expires)
    {
    }
}
