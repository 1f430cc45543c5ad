package dev.conduit.objecttier.bucket;

/** Whether CopyObject keeps the source's metadata or takes the request's. */
public enum MetadataDirective
{
    /** Keep the source's metadata (the default). */
    COPY,
    /** Use the metadata given with the copy request. */
    REPLACE
}
