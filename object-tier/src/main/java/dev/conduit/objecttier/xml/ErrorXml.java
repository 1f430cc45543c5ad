package dev.conduit.objecttier.xml;

import dev.conduit.objecttier.S3Error;

/**
 * The {@code Error} document of a failed request. S3 writes it without a namespace; the SDKs read
 * {@code Code} and {@code Message} from it, and people read the rest.
 */
final class ErrorXml
{
    private ErrorXml()
    {
    }

    static byte[] write(
        final S3Error error,
        final String message,
        final String resource,
        final String requestId,
        final String hostId)
    {
        return new XmlWriter(512).root("Error", null)
            .element("Code", error.name())
            .element("Message", null == message || message.isEmpty() ? error.defaultMessage() : message)
            .optional("Resource", resource)
            .element("RequestId", null == requestId ? "" : requestId)
            .element("HostId", null == hostId ? "" : hostId)
            .close("Error").toBytes();
    }
}
