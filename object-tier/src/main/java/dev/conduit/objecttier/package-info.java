/**
 * The S3-compatible hot object tier: {@link dev.conduit.objecttier.S3Server} serves the buckets of
 * a {@link dev.conduit.objecttier.bucket.BucketStore} over HTTP with SigV4.
 */
package dev.conduit.objecttier;
