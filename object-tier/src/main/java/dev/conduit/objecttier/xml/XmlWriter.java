package dev.conduit.objecttier.xml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds one XML document the way S3 writes it: a declaration, a root element in S3's namespace,
 * nested elements with escaped text and no whitespace between them.
 *
 * <p>Escaping: {@code & < > " '} become entities (S3 writes ETags as {@code &quot;...&quot;}).
 * Tab, CR, LF and the other C0/C1 controls, DEL and U+2028 become numeric character references,
 * because a parser would otherwise normalise CR and line separators away and a key would not
 * round-trip. C0 controls other than tab, CR and LF are not legal in XML 1.0 even as references,
 * so a document that needs one is declared {@code version="1.1"} (the JDK's parser, which the AWS
 * SDKs use, reads it); every other document is 1.0. NUL and unpaired surrogates cannot appear in
 * any XML and are written as U+FFFD; S3 keys never contain NUL (the bucket layer refuses it).
 *
 * <p>Threading: one instance per document, on one thread.
 */
final class XmlWriter
{
    /** S3's XML namespace, on the root of every document but {@code Error}. */
    static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static final String DECLARATION_1_0 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String DECLARATION_1_1 = "<?xml version=\"1.1\" encoding=\"UTF-8\"?>\n";
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder body;
    private boolean needsXml11;

    XmlWriter(final int expectedChars)
    {
        body = new StringBuilder(expectedChars);
    }

    /**
     * Opens the root element; S3 puts its namespace on it.
     *
     * @param name      element name.
     * @param namespace the default namespace, or {@code null} for none.
     * @return this writer.
     */
    XmlWriter root(final String name, final String namespace)
    {
        body.append('<').append(name);
        if (null != namespace)
        {
            body.append(" xmlns=\"").append(namespace).append('"');
        }
        body.append('>');
        return this;
    }

    XmlWriter open(final String name)
    {
        body.append('<').append(name).append('>');
        return this;
    }

    /**
     * Opens an element with one extra attribute written verbatim (callers pass constants only).
     */
    XmlWriter openWithAttributes(final String name, final String rawAttributes)
    {
        body.append('<').append(name).append(' ').append(rawAttributes).append('>');
        return this;
    }

    XmlWriter close(final String name)
    {
        body.append("</").append(name).append('>');
        return this;
    }

    /** Escaped character data inside the element opened last. */
    XmlWriter text(final String text)
    {
        escape(text);
        return this;
    }

    /** An element holding escaped text ({@code <Name></Name>} when the text is empty). */
    XmlWriter element(final String name, final String text)
    {
        open(name);
        escape(text);
        return close(name);
    }

    /** An element only when the text is not empty: S3 leaves out optional elements it has no value for. */
    XmlWriter optional(final String name, final String text)
    {
        if (null != text && !text.isEmpty())
        {
            element(name, text);
        }
        return this;
    }

    XmlWriter element(final String name, final long value)
    {
        open(name);
        body.append(value);
        return close(name);
    }

    XmlWriter element(final String name, final boolean value)
    {
        open(name);
        body.append(value);
        return close(name);
    }

    /** A timestamp as S3 writes it: ISO-8601, UTC, milliseconds, {@code Z}. */
    XmlWriter element(final String name, final Instant time)
    {
        open(name);
        TIMESTAMP.formatTo(time, body);
        return close(name);
    }

    /** An ETag in quotes, which S3 sends escaped as {@code &quot;}; a quoted input is not quoted twice. */
    XmlWriter etag(final String name, final String etag)
    {
        final boolean quoted = etag.length() >= 2 && etag.charAt(0) == '"' && etag.charAt(etag.length() - 1) == '"';
        open(name);
        if (!quoted)
        {
            body.append("&quot;");
        }
        escape(etag);
        if (!quoted)
        {
            body.append("&quot;");
        }
        return close(name);
    }

    /** @return the document, declaration first, in UTF-8. */
    byte[] toBytes()
    {
        final String declaration = needsXml11 ? DECLARATION_1_1 : DECLARATION_1_0;
        final String document = new StringBuilder(declaration.length() + body.length()).append(declaration)
            .append(body).toString();
        return document.getBytes(StandardCharsets.UTF_8);
    }

    private void escape(final String text)
    {
        final StringBuilder out = body;
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> i = escapeOther(text, i, c, out);
            }
        }
    }

    private int escapeOther(final String text, final int index, final char c, final StringBuilder out)
    {
        if (c == 0)
        {
            out.append('\uFFFD');
        }
        else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028')
        {
            if (c != '\t' && c != '\n' && c != '\r' && c < 0x20)
            {
                needsXml11 = true;
            }
            characterReference(c, out);
        }
        else if (Character.isHighSurrogate(c))
        {
            if (index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1)))
            {
                out.append(c).append(text.charAt(index + 1));
                return index + 1;
            }
            out.append('\uFFFD');
        }
        else if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
        {
            out.append('\uFFFD');
        }
        else
        {
            out.append(c);
        }
        return index;
    }

    private static void characterReference(final char c, final StringBuilder out)
    {
        out.append("&#x");
        if (c >= 0x10)
        {
            if (c >= 0x100)
            {
                out.append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]);
            }
            out.append(HEX[(c >> 4) & 0xF]);
        }
        out.append(HEX[c & 0xF]).append(';');
    }
}
