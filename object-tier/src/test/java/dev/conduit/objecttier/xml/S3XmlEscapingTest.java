package dev.conduit.objecttier.xml;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.conduit.objecttier.bucket.ListResult;
import dev.conduit.objecttier.bucket.S3Metadata;
import dev.conduit.objecttier.bucket.S3Object;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys and values that XML cannot carry literally: markup characters, CR/LF/tab, C0 and C1
 * controls, line separators, non-BMP characters. Each must read back exactly as written.
 */
final class S3XmlEscapingTest
{
    @Test
    void shouldEscapeMarkupCharactersSoTheKeyReadsBackExactly()
    {
        final String key = "a<b>&c\"d'e]]>f";
        final byte[] bytes = listingOf(key, false);
        final String raw = new String(bytes, StandardCharsets.UTF_8);

        assertEquals(key, ParsedXml.parse(bytes).text("Contents", "Key"));
        assertTrue(raw.contains("<Key>a&lt;b&gt;&amp;c&quot;d&apos;e]]&gt;f</Key>"), raw);
    }

    @Test
    void shouldKeepTabCarriageReturnAndLineFeedInAnXml10Document()
    {
        final String key = "line1\r\nline2\ttab\rcr";
        final ParsedXml xml = ParsedXml.parse(listingOf(key, false));

        assertEquals("1.0", xml.xmlVersion());
        assertEquals(key, xml.text("Contents", "Key"), "CR must not be normalised to LF");
    }

    @Test
    void shouldDeclareXml11OnlyWhenAKeyHoldsAControlCharacterXml10Forbids()
    {
        final String key = "ctl\u0001\u001F\u007F\u0085\u2028\u009Fend";
        final ParsedXml xml = ParsedXml.parse(listingOf(key, false));

        assertEquals("1.1", xml.xmlVersion());
        assertEquals(key, xml.text("Contents", "Key"));
        assertEquals("1.0", ParsedXml.parse(listingOf("plain \u0085 \u2028", false)).xmlVersion());
        assertEquals("plain \u0085 \u2028",
            ParsedXml.parse(listingOf("plain \u0085 \u2028", false)).text("Contents", "Key"));
    }

    @Test
    void shouldWriteNulAndUnpairedSurrogatesAsTheReplacementCharacter()
    {
        final ParsedXml xml = ParsedXml.parse(listingOf("a\u0000b\uD800c\uDC00d", false));

        assertEquals("a\uFFFDb\uFFFDc\uFFFDd", xml.text("Contents", "Key"));
    }

    @Test
    void shouldCarryNonAsciiAndSupplementaryCharactersAsUtf8()
    {
        final String key = "日本語/ü/\uD83D\uDE00.txt";
        final byte[] bytes = listingOf(key, false);

        assertEquals(key, ParsedXml.parse(bytes).text("Contents", "Key"));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains(key), "written as UTF-8, not as references");
    }

    @Test
    void shouldUrlEncodeControlCharactersSoTheDocumentStaysXml10()
    {
        final String key = "ctl\u0001 sp+plus%/ü";
        final ParsedXml xml = ParsedXml.parse(listingOf(key, true));

        assertEquals("1.0", xml.xmlVersion());
        assertEquals("ctl%01%20sp%2Bplus%25/%C3%BC", xml.text("Contents", "Key"));
        assertEquals(key, URLDecoder.decode(xml.text("Contents", "Key"), StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void shouldRoundTripAnyKeyWithoutNulOrUnpairedSurrogates(@ForAll final String key)
    {
        Assume.that(isXmlRepresentable(key));

        assertEquals(key, ParsedXml.parse(listingOf(key, false)).text("Contents", "Key"));
        final String encoded = ParsedXml.parse(listingOf(key, true)).text("Contents", "Key");
        assertEquals(key, URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    }

    @Property(tries = 100)
    void shouldRoundTripDeleteKeysThroughTheWriterAndTheReader(@ForAll final String key)
    {
        Assume.that(!key.isEmpty() && isXmlRepresentable(key));
        final byte[] result = S3Xml.deleteResult(List.of(DeleteOutcome.deleted(key, "")), false);

        assertEquals(key, ParsedXml.parse(result).text("Deleted", "Key"));
        assertFalse(new String(result, StandardCharsets.UTF_8).contains("\r"), "a raw CR would be normalised away");
    }

    private static boolean isXmlRepresentable(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == 0 || c == '\uFFFE' || c == '\uFFFF')
            {
                return false;
            }
            if (Character.isHighSurrogate(c))
            {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                {
                    return false;
                }
                i++;
            }
            else if (Character.isLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] listingOf(final String key, final boolean urlEncoding)
    {
        final S3Object object = new S3Object("bkt", key, 1, "0cc175b9c0f1b6a831c399e269772661",
            Instant.parse("2026-12-01T00:00:00Z"), S3Metadata.EMPTY, null);
        return S3Xml.listObjectsV2(new ListParams("bkt", "", "", 1000, urlEncoding), "", "", "",
            new ListResult(List.of(object), List.of(), false, ""), null);
    }
}
