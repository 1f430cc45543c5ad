package dev.conduit.objecttier.tier;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which cold ETags a fill can check (single-part MD5s) or keep (multipart ones), and which it must ignore. */
class ColdEtagTest
{
    private static final String MD5 = "d5d5de96454fc2dd4d79d8707d08fe38";

    @Test
    void shouldReadASinglePartEtagAsTheContentMd5()
    {
        final ColdEtag etag = ColdEtag.parse(MD5);
        assertArrayEquals(HexFormat.of().parseHex(MD5), etag.md5());
        assertEquals(0, etag.partCount());
        assertFalse(etag.multipart());
    }

    @Test
    void shouldReadAMultipartEtagWithItsPartCount()
    {
        final ColdEtag etag = ColdEtag.parse(MD5 + "-10000");
        assertArrayEquals(HexFormat.of().parseHex(MD5), etag.md5());
        assertEquals(10_000, etag.partCount());
        assertTrue(etag.multipart());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "opaque-etag", MD5 + "-", MD5 + "-0", MD5 + "-10001", MD5 + "-x", MD5 + "-+3", MD5 + "0",
        "z5d5de96454fc2dd4d79d8707d08fe38", "d5d5de96454fc2dd4d79d8707d08fe3-2"})
    void shouldIgnoreEtagsOfNeitherForm(final String etag)
    {
        assertNull(ColdEtag.parse(etag), etag);
    }
}
