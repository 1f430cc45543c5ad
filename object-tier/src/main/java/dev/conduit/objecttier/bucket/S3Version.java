package dev.conduit.objecttier.bucket;

import dev.conduit.blocklayout.VersionIds;

/**
 * One entry of ListObjectVersions: an object version or a delete marker.
 *
 * @param object the version's S3 view ({@link #isDeleteMarker()} when its record is a marker; a
 *               view without a record is the null version of an object).
 * @param latest whether it is its key's newest version.
 */
public record S3Version(S3Object object, boolean latest)
{
    /** @return true for a delete marker. */
    public boolean isDeleteMarker()
    {
        return object.record() != null && object.record().isDeleteMarker();
    }

    /** @return the version id as S3 clients see it ({@code "null"} for the null version). */
    public String versionId()
    {
        return object.record() == null ? VersionIds.NULL : object.record().versionIdText();
    }
}
