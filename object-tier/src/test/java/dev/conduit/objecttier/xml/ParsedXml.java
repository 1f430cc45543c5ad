package dev.conduit.objecttier.xml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A written document read back with the JDK's DOM parser (namespace-aware, independent of the
 * StAX reader under test), so the writer tests check what any client parser would see.
 */
final class ParsedXml
{
    private final Document document;

    private ParsedXml(final Document document)
    {
        this.document = document;
    }

    static ParsedXml parse(final byte[] bytes)
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            final DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return new ParsedXml(builder.parse(new ByteArrayInputStream(bytes)));
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not well-formed XML: " + new String(bytes, StandardCharsets.UTF_8), ex);
        }
    }

    Element root()
    {
        return document.getDocumentElement();
    }

    String xmlVersion()
    {
        return document.getXmlVersion();
    }

    /** @return the text of the element at this path of child names below the root; fails when absent. */
    String text(final String... path)
    {
        return text(root(), path);
    }

    /** @return whether the element at this path exists. */
    boolean has(final String... path)
    {
        return null != find(root(), path);
    }

    static String text(final Element from, final String... path)
    {
        final Element found = find(from, path);
        if (null == found)
        {
            throw new AssertionError("no element " + String.join("/", path) + " under " + from.getLocalName());
        }
        return found.getTextContent();
    }

    /** @return the direct children of {@code parent} with that local name, in order. */
    static List<Element> children(final Element parent, final String name)
    {
        final List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); null != n; n = n.getNextSibling())
        {
            if (n instanceof Element e && name.equals(e.getLocalName()))
            {
                found.add(e);
            }
        }
        return found;
    }

    /** @return the names of the root's direct child elements, in order (to check what is left out). */
    List<String> rootChildNames()
    {
        final List<String> names = new ArrayList<>();
        for (Node n = root().getFirstChild(); null != n; n = n.getNextSibling())
        {
            if (n instanceof Element e)
            {
                names.add(e.getLocalName());
            }
        }
        return names;
    }

    private static Element find(final Element from, final String... path)
    {
        Element current = from;
        for (final String name : path)
        {
            final List<Element> next = children(current, name);
            if (next.isEmpty())
            {
                return null;
            }
            current = next.getFirst();
        }
        return current;
    }
}
