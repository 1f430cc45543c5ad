package dev.conduit.objecttier.xml;

import dev.conduit.objecttier.S3Error;

/**
 * What happened to one key of a DeleteObjects request: a {@code <Deleted>} entry when
 * {@code error} is {@code null}, an {@code <Error>} entry otherwise.
 *
 * @param key       the key.
 * @param versionId the version id the client named ("" when none).
 * @param error     the failure, or {@code null} when deleted (S3 reports a missing key as deleted).
 * @param message   the failure's message ("" when deleted).
 * @param deleteMarkerVersionId when the delete wrote or removed a delete marker, its version id
 *                              (S3's {@code DeleteMarker} and {@code DeleteMarkerVersionId}); "" otherwise.
 */
public record DeleteOutcome(String key, String versionId, S3Error error, String message, String deleteMarkerVersionId)
{
    /** Normalises nulls to "". */
    public DeleteOutcome
    {
        versionId = null == versionId ? "" : versionId;
        message = null == message ? "" : message;
        deleteMarkerVersionId = null == deleteMarkerVersionId ? "" : deleteMarkerVersionId;
    }

    /**
     * @param key       the key.
     * @param versionId the version id named ("" when none).
     * @return a successful outcome.
     */
    public static DeleteOutcome deleted(final String key, final String versionId)
    {
        return new DeleteOutcome(key, versionId, null, "", "");
    }

    /**
     * @param key                   the key.
     * @param versionId             the version id named ("" when none).
     * @param deleteMarkerVersionId the delete marker written or removed.
     * @return a successful outcome that concerned a delete marker.
     */
    public static DeleteOutcome deletedMarker(final String key, final String versionId, final String deleteMarkerVersionId)
    {
        return new DeleteOutcome(key, versionId, null, "", deleteMarkerVersionId);
    }

    /**
     * @param key       the key.
     * @param versionId the version id named ("" when none).
     * @param error     the S3 error.
     * @param message   what went wrong.
     * @return a failed outcome.
     */
    public static DeleteOutcome failed(
        final String key,
        final String versionId,
        final S3Error error,
        final String message)
    {
        return new DeleteOutcome(key, versionId, error, message, "");
    }
}
