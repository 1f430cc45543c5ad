package dev.conduit.objecttier.bucket;

import java.util.List;

/**
 * A page of ListParts.
 *
 * @param upload               the upload.
 * @param parts                parts in ascending part number.
 * @param truncated            whether more follow.
 * @param nextPartNumberMarker when truncated, the last part number on this page.
 */
public record PartListing(MultipartUpload upload, List<PartInfo> parts, boolean truncated, int nextPartNumberMarker)
{
    /** Copies the list. */
    public PartListing
    {
        parts = List.copyOf(parts);
    }
}
