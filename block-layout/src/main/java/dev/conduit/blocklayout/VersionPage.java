package dev.conduit.blocklayout;

import java.util.List;

/**
 * A page of a version listing.
 *
 * @param versions            versions and delete markers, key ascending, newest first within a key.
 * @param truncated           true when more follow.
 * @param nextKeyMarker       the last entry's key when truncated, else empty.
 * @param nextVersionIdMarker the last entry's version id when truncated, else empty.
 */
public record VersionPage(List<Entry> versions, boolean truncated, String nextKeyMarker, String nextVersionIdMarker)
{
    /** Copies the list. */
    public VersionPage
    {
        versions = List.copyOf(versions);
    }

    /**
     * One version.
     *
     * @param record the version ({@link ObjectRecord#isDeleteMarker()} for a delete marker).
     * @param latest true when it is its key's newest version.
     */
    public record Entry(ObjectRecord record, boolean latest)
    {
    }
}
