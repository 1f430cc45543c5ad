package dev.conduit.objecttier.xml;

import java.util.ArrayList;
import java.util.List;

/** DeleteObjects: the {@code Delete} request body and the {@code DeleteResult} answer. */
final class DeleteXml
{
    /** S3's limit on the keys of one DeleteObjects request. */
    static final int MAX_KEYS = 1000;

    private DeleteXml()
    {
    }

    static DeleteRequest parse(final byte[] body)
    {
        final XmlElement delete = SafeXmlReader.read(body, "Delete");
        final List<XmlElement> objects = delete.all("Object");
        if (objects.isEmpty())
        {
            throw XmlElement.malformed("no <Object>");
        }
        if (objects.size() > MAX_KEYS)
        {
            throw XmlElement.malformed("more than " + MAX_KEYS + " keys");
        }
        final List<DeleteRequest.ObjectToDelete> toDelete = new ArrayList<>(objects.size());
        for (final XmlElement object : objects)
        {
            final String key = object.required("Key").text();
            if (key.isEmpty())
            {
                throw XmlElement.malformed("empty <Key>");
            }
            toDelete.add(new DeleteRequest.ObjectToDelete(key, object.optionalText("VersionId")));
        }
        return new DeleteRequest(toDelete, quiet(delete.optionalText("Quiet")));
    }

    /** In quiet mode S3 leaves out the {@code <Deleted>} entries and reports only failures. */
    static byte[] write(final List<DeleteOutcome> outcomes, final boolean quiet)
    {
        final XmlWriter xml = new XmlWriter(128 + outcomes.size() * 96).root("DeleteResult", XmlWriter.S3_NAMESPACE);
        for (final DeleteOutcome outcome : outcomes)
        {
            if (null == outcome.error())
            {
                if (!quiet)
                {
                    xml.open("Deleted").element("Key", outcome.key()).optional("VersionId", outcome.versionId());
                    if (!outcome.deleteMarkerVersionId().isEmpty())
                    {
                        xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", outcome.deleteMarkerVersionId());
                    }
                    xml.close("Deleted");
                }
            }
            else
            {
                xml.open("Error")
                    .element("Key", outcome.key())
                    .optional("VersionId", outcome.versionId())
                    .element("Code", outcome.error().name())
                    .element("Message", messageOf(outcome))
                    .close("Error");
            }
        }
        return xml.close("DeleteResult").toBytes();
    }

    private static String messageOf(final DeleteOutcome outcome)
    {
        return outcome.message().isEmpty() ? outcome.error().defaultMessage() : outcome.message();
    }

    private static boolean quiet(final String text)
    {
        if (null == text)
        {
            return false;
        }
        final String value = text.strip();
        if ("true".equalsIgnoreCase(value))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(value))
        {
            return false;
        }
        throw XmlElement.malformed("<Quiet> must be true or false");
    }
}
