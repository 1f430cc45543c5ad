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
 */
public record DeleteOutcome(String key, String versionId, S3Error error, String message)
{
    /** Normalises nulls to "". */
    public DeleteOutcome
    {
        versionId = null == versionId ? "" : versionId;
        message = null == message ? "" : message;
    }

    /**
     * @param key       the key.
     * @param versionId the version id named ("" when none).
     * @return a successful outcome.
     */
    public static DeleteOutcome deleted(final String key, final String versionId)
    {
        return new DeleteOutcome(key, versionId, null, "");
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
        return new DeleteOutcome(key, versionId, error, message);
    }
}
