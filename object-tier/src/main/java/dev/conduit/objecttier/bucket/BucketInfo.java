package dev.conduit.objecttier.bucket;

import java.time.Instant;

import dev.conduit.blocklayout.VersioningMode;

/**
 * A bucket: its name, when it was created, and whether anonymous clients may read it.
 *
 * @param name       the bucket name (S3 naming rules).
 * @param created    creation time.
 * @param publicRead whether unauthenticated GET/HEAD of its objects is allowed.
 * @param versioning its S3 versioning state ({@code OFF} until versioning is first configured).
 */
public record BucketInfo(String name, Instant created, boolean publicRead, VersioningMode versioning)
{
    /**
     * A bucket that never had versioning.
     *
     * @param name       the bucket name.
     * @param created    creation time.
     * @param publicRead whether unauthenticated GET/HEAD of its objects is allowed.
     */
    public BucketInfo(final String name, final Instant created, final boolean publicRead)
    {
        this(name, created, publicRead, VersioningMode.OFF);
    }
}
