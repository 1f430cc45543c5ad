/**
 * Tiering: a local bucket bound to a cold S3 location (any S3: AWS, MinIO, Ceph RGW, S3Proxy).
 * Read-through fills misses from the cold tier (single flight, parallel ranged GETs, TTL and
 * revalidation), write-back uploads acknowledged PUTs asynchronously from a journaled queue, and
 * eviction frees cold-backed copies under capacity pressure. The cold side is the AWS SDK v2 async
 * client; docs/TIERING.md is the design and the user guide.
 */
package dev.conduit.objecttier.tier;
