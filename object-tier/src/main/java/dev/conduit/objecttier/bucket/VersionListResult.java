package dev.conduit.objecttier.bucket;

import java.util.List;

/**
 * A page of ListObjectVersions, key ascending and newest first within a key.
 *
 * @param versions            versions and delete markers on this page.
 * @param commonPrefixes      rolled-up prefixes on this page.
 * @param truncated           whether more entries follow.
 * @param nextKeyMarker       when truncated, the last key or common prefix of this page.
 * @param nextVersionIdMarker when truncated after a version, its id; empty after a common prefix.
 */
public record VersionListResult(
    List<S3Version> versions, List<String> commonPrefixes, boolean truncated, String nextKeyMarker, String nextVersionIdMarker)
{
    /** Copies the lists. */
    public VersionListResult
    {
        versions = List.copyOf(versions);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
