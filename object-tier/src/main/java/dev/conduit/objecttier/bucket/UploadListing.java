package dev.conduit.objecttier.bucket;

import java.util.List;

/**
 * A page of ListMultipartUploads, ordered by key then initiation.
 *
 * @param uploads            uploads on this page.
 * @param commonPrefixes     rolled-up prefixes when a delimiter was given.
 * @param truncated          whether more follow.
 * @param nextKeyMarker      when truncated, the key to continue after.
 * @param nextUploadIdMarker when truncated, the upload id to continue after.
 */
public record UploadListing(List<MultipartUpload> uploads, List<String> commonPrefixes, boolean truncated, String nextKeyMarker, String nextUploadIdMarker)
{
    /** Copies the lists. */
    public UploadListing
    {
        uploads = List.copyOf(uploads);
        commonPrefixes = List.copyOf(commonPrefixes);
        nextKeyMarker = nextKeyMarker == null ? "" : nextKeyMarker;
        nextUploadIdMarker = nextUploadIdMarker == null ? "" : nextUploadIdMarker;
    }
}
