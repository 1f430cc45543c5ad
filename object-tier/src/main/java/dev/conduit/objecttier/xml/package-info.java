/**
 * S3's XML documents: the {@link dev.conduit.objecttier.xml.S3Xml} facade writes every answer the
 * endpoint sends and reads every request body it accepts (XXE-safe, size-capped). No threads or
 * state of its own; the HTTP layer calls it from whichever thread builds the response.
 */
package dev.conduit.objecttier.xml;
