package dev.conduit.blocklayout;

/**
 * Space held by versions under a key prefix: what current versions hold, and what noncurrent
 * versions hold (the space a lifecycle rule that expires them gives back). Bytes are allocated
 * extent bytes (content rounded up to 4 KiB, per column).
 *
 * @param currentVersions    keys whose newest version is an object.
 * @param currentBytes       extent bytes of those versions.
 * @param noncurrentVersions older object versions kept.
 * @param noncurrentBytes    extent bytes of those.
 * @param deleteMarkers      delete markers (they hold no extents).
 */
public record VersionSpace(long currentVersions, long currentBytes, long noncurrentVersions, long noncurrentBytes, long deleteMarkers)
{
}
