package dev.conduit.objecttier.xml;

import java.util.ArrayList;
import java.util.List;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;

/**
 * One element of a parsed request body: its local name (namespaces are ignored, since clients
 * send S3's or none), its text and its child elements. Request bodies are small and capped, so a
 * tiny tree is simpler to validate than a streaming state machine per document.
 *
 * @param name     local name.
 * @param text     the element's own character data, untrimmed (keys keep their spaces).
 * @param children child elements in document order.
 */
record XmlElement(String name, String text, List<XmlElement> children)
{
    /**
     * @param childName a child's local name.
     * @return every child with that name, in order.
     */
    List<XmlElement> all(final String childName)
    {
        final List<XmlElement> found = new ArrayList<>();
        for (final XmlElement child : children)
        {
            if (child.name.equals(childName))
            {
                found.add(child);
            }
        }
        return found;
    }

    /**
     * @param childName a child's local name.
     * @return the only child with that name, or {@code null} when there is none.
     * @throws S3Exception {@code MalformedXML} when there are several.
     */
    XmlElement optional(final String childName)
    {
        XmlElement found = null;
        for (final XmlElement child : children)
        {
            if (child.name.equals(childName))
            {
                if (null != found)
                {
                    throw malformed("more than one <" + childName + "> in <" + name + ">");
                }
                found = child;
            }
        }
        return found;
    }

    /**
     * @param childName a child's local name.
     * @return the only child with that name.
     * @throws S3Exception {@code MalformedXML} when it is missing or repeated.
     */
    XmlElement required(final String childName)
    {
        final XmlElement found = optional(childName);
        if (null == found)
        {
            throw malformed("<" + name + "> has no <" + childName + ">");
        }
        return found;
    }

    /** @return the text of the only child with that name, untrimmed; {@code null} when absent. */
    String optionalText(final String childName)
    {
        final XmlElement found = optional(childName);
        return null == found ? null : found.text;
    }

    static S3Exception malformed(final String why)
    {
        return new S3Exception(S3Error.MalformedXML, S3Error.MalformedXML.defaultMessage() + " (" + why + ")", "");
    }
}
