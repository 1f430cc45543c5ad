package dev.conduit.objecttier.bucket;

/**
 * What a DeleteObject did, for its response headers.
 *
 * @param versionId    the version written (a new delete marker) or removed; null when the bucket
 *                     has no versioning and no version id was given (no header is sent).
 * @param deleteMarker whether that version is a delete marker ({@code x-amz-delete-marker: true}).
 * @param changed      whether anything was written or removed (S3 answers 204 either way).
 */
public record DeleteResult(String versionId, boolean deleteMarker, boolean changed)
{
}
