package dev.conduit.objecttier.xml;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * The Tagging document (GetObjectTagging's answer, PutObjectTagging's body) and S3's rules for an
 * object's tag set, which also apply to the {@code x-amz-tagging} header of PutObject.
 */
final class TaggingXml
{
    /** Most tags one object may carry. */
    static final int MAX_TAGS = 10;
    /** Longest tag key, in Unicode code points. */
    static final int MAX_KEY_CHARS = 128;
    /** Longest tag value, in Unicode code points. */
    static final int MAX_VALUE_CHARS = 256;

    private TaggingXml()
    {
    }

    /** Tags sorted by key, so the same set always reads back the same. */
    static byte[] write(final Map<String, String> tags)
    {
        final XmlWriter xml = new XmlWriter(160 + tags.size() * 96).root("Tagging", XmlWriter.S3_NAMESPACE)
            .open("TagSet");
        for (final Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet())
        {
            xml.open("Tag").element("Key", tag.getKey()).element("Value", tag.getValue()).close("Tag");
        }
        return xml.close("TagSet").close("Tagging").toBytes();
    }

    static Map<String, String> parse(final byte[] body)
    {
        final XmlElement tagSet = SafeXmlReader.read(body, "Tagging").required("TagSet");
        final Map<String, String> tags = new LinkedHashMap<>();
        for (final XmlElement tag : tagSet.all("Tag"))
        {
            final String key = tag.required("Key").text();
            final String value = tag.required("Value").text();
            if (null != tags.put(key, value))
            {
                throw invalid("Cannot provide multiple Tags with the same key");
            }
            if (tags.size() > MAX_TAGS)
            {
                throw invalid("Object tags cannot be greater than " + MAX_TAGS);
            }
        }
        validate(tags);
        return tags;
    }

    /**
     * S3's rules: at most {@value #MAX_TAGS} tags; keys of 1 to {@value #MAX_KEY_CHARS} characters
     * not starting with {@code aws:}; values of up to {@value #MAX_VALUE_CHARS} characters; only
     * letters, digits, spaces and {@code + - = . _ : / @}.
     */
    static void validate(final Map<String, String> tags)
    {
        if (tags.size() > MAX_TAGS)
        {
            throw invalid("Object tags cannot be greater than " + MAX_TAGS);
        }
        for (final Map.Entry<String, String> tag : tags.entrySet())
        {
            final String key = tag.getKey();
            final String value = tag.getValue();
            if (null == key || key.isEmpty() || key.codePointCount(0, key.length()) > MAX_KEY_CHARS)
            {
                throw invalid("The TagKey you have provided is invalid");
            }
            if (key.startsWith("aws:"))
            {
                throw invalid("Your TagKey cannot be prefixed with aws:");
            }
            if (null == value || value.codePointCount(0, value.length()) > MAX_VALUE_CHARS)
            {
                throw invalid("The TagValue you have provided is invalid");
            }
            if (!allowedCharacters(key) || !allowedCharacters(value))
            {
                throw invalid("The TagKey or TagValue you have provided contains characters that are not allowed");
            }
        }
    }

    private static boolean allowedCharacters(final String text)
    {
        for (int i = 0; i < text.length(); )
        {
            final int c = text.codePointAt(i);
            final boolean allowed = Character.isLetterOrDigit(c) || c == ' ' || c == '+' || c == '-' || c == '=' ||
                c == '.' || c == '_' || c == ':' || c == '/' || c == '@';
            if (!allowed)
            {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static S3Exception invalid(final String message)
    {
        return new S3Exception(S3Error.InvalidTag, message, "");
    }
}
