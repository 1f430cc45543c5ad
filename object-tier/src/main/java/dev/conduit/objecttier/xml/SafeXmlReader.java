package dev.conduit.objecttier.xml;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * Reads a request body into an {@link XmlElement} tree with the JDK's StAX parser, refusing what a
 * client must never be able to make the server do: DTDs are off and any {@code <!DOCTYPE>} is
 * refused outright, so neither external entities (XXE: reading local files, reaching other hosts)
 * nor internal entity expansion (billion laughs) can happen; an undeclared entity reference is a
 * parse error. Bodies are capped at {@link #MAX_BODY_BYTES} and nesting at {@link #MAX_DEPTH}
 * before and while parsing, so memory stays bounded. Every failure is {@code MalformedXML}.
 *
 * <p>Threading: stateless apart from a shared {@link XMLInputFactory}, which is thread-safe once
 * configured.
 */
final class SafeXmlReader
{
    /** Largest request body parsed (S3's own limit for these documents is about this size). */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** Deepest nesting accepted; S3's request documents are at most four levels deep. */
    static final int MAX_DEPTH = 8;

    private static final XMLInputFactory FACTORY = newFactory();

    private SafeXmlReader()
    {
    }

    /**
     * @param body       the request body (UTF-8 unless its declaration says otherwise).
     * @param rootName   the root element the operation expects.
     * @return the root element.
     * @throws S3Exception {@code MalformedXML} for anything that is not that document.
     */
    static XmlElement read(final byte[] body, final String rootName)
    {
        if (null == body || body.length == 0)
        {
            throw XmlElement.malformed("empty body");
        }
        if (body.length > MAX_BODY_BYTES)
        {
            throw XmlElement.malformed("body larger than " + MAX_BODY_BYTES + " bytes");
        }
        XMLStreamReader reader = null;
        try
        {
            reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            final XmlElement root = readTree(reader);
            if (!root.name().equals(rootName))
            {
                throw XmlElement.malformed("root is <" + root.name() + ">, expected <" + rootName + ">");
            }
            return root;
        }
        catch (final XMLStreamException | RuntimeException ex)
        {
            if (ex instanceof S3Exception s3)
            {
                throw s3;
            }
            throw new S3Exception(S3Error.MalformedXML, S3Error.MalformedXML.defaultMessage(), "", ex);
        }
        finally
        {
            closeQuietly(reader);
        }
    }

    private static XmlElement readTree(final XMLStreamReader reader) throws XMLStreamException
    {
        final ArrayDeque<Building> open = new ArrayDeque<>();
        XmlElement root = null;
        while (reader.hasNext())
        {
            final int event = reader.next();
            switch (event)
            {
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE,
                    XMLStreamConstants.ENTITY_DECLARATION, XMLStreamConstants.NOTATION_DECLARATION ->
                    throw XmlElement.malformed("DTDs and entities are not accepted");
                case XMLStreamConstants.START_ELEMENT ->
                {
                    if (null != root)
                    {
                        throw XmlElement.malformed("content after the root element");
                    }
                    if (open.size() >= MAX_DEPTH)
                    {
                        throw XmlElement.malformed("nested deeper than " + MAX_DEPTH);
                    }
                    open.push(new Building(reader.getLocalName()));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                {
                    if (!open.isEmpty())
                    {
                        open.peek().text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT ->
                {
                    final XmlElement done = open.pop().build();
                    if (open.isEmpty())
                    {
                        root = done;
                    }
                    else
                    {
                        open.peek().children.add(done);
                    }
                }
                default ->
                {
                    // Comments, processing instructions and the document events carry nothing S3 reads.
                }
            }
        }
        if (null == root)
        {
            throw XmlElement.malformed("no root element");
        }
        return root;
    }

    private static XMLInputFactory newFactory()
    {
        final XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) ->
        {
            throw new XMLStreamException("external resources are not fetched: " + systemId);
        });
        return factory;
    }

    private static void closeQuietly(final XMLStreamReader reader)
    {
        if (null != reader)
        {
            try
            {
                reader.close();
            }
            catch (final XMLStreamException ignored)
            {
                // The body is an in-memory array; closing frees nothing that could fail in a way that matters.
            }
        }
    }

    /** An element whose end tag has not been read yet. */
    private static final class Building
    {
        private final String name;
        private final StringBuilder text = new StringBuilder();
        private final List<XmlElement> children = new ArrayList<>();

        private Building(final String name)
        {
            this.name = name;
        }

        private XmlElement build()
        {
            // Whitespace between child elements is layout, not content.
            final String ownText = children.isEmpty() ? text.toString() : "";
            return new XmlElement(name, ownText, List.copyOf(children));
        }
    }
}
