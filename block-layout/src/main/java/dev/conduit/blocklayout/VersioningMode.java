package dev.conduit.blocklayout;

/**
 * How a write treats the key's previous versions (S3 bucket versioning), carried by
 * {@link ObjectMetadata#versioning()}.
 *
 * <ul>
 *   <li>{@link #OFF}: the write replaces the current version, whose space is freed (format v1
 *       behaviour; a bucket that never had versioning).</li>
 *   <li>{@link #ENABLED}: the write becomes a new version with an id of its own; the previous
 *       current version becomes noncurrent and keeps its extents.</li>
 *   <li>{@link #SUSPENDED}: the write becomes the key's {@code null} version, replacing an earlier
 *       null version (current or not); a previous current version with an id becomes noncurrent.</li>
 * </ul>
 */
public enum VersioningMode
{
    OFF, ENABLED, SUSPENDED
}
