package dev.conduit.objecttier.bucket;

import java.time.Instant;

/**
 * A bucket: its name, when it was created, and whether anonymous clients may read it.
 *
 * @param name       the bucket name (S3 naming rules).
 * @param created    creation time.
 * @param publicRead whether unauthenticated GET/HEAD of its objects is allowed.
 */
public record BucketInfo(String name, Instant created, boolean publicRead)
{
}
