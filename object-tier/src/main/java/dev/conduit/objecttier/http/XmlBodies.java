package dev.conduit.objecttier.http;

import dev.conduit.objecttier.payload.PayloadChecks;
import dev.conduit.objecttier.xml.S3Xml;

/** Reads the small XML bodies of control requests, with their integrity checks and S3's size bound. */
final class XmlBodies
{
    private XmlBodies()
    {
    }

    /**
     * @param exchange the request.
     * @return the whole body, verified (Content-MD5, x-amz-checksum-*, signed SHA-256).
     */
    static byte[] read(final Exchange exchange)
    {
        final PayloadChecks checks = PayloadChecks.fromHeaders(exchange.head().headers(), exchange.auth());
        return new BodyReader(exchange, exchange.auth()).readAll(checks, S3Xml.MAX_XML_BODY_BYTES);
    }
}
