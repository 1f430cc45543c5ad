package dev.conduit.objecttier.xml;

import java.util.List;

/**
 * A parsed DeleteObjects body.
 *
 * @param objects the objects to delete, in the client's order (1..{@value S3Xml#MAX_DELETE_KEYS}).
 * @param quiet   whether only failures are reported.
 */
public record DeleteRequest(List<ObjectToDelete> objects, boolean quiet)
{
    /** Copies the list. */
    public DeleteRequest
    {
        objects = List.copyOf(objects);
    }

    /**
     * One {@code <Object>} of the request.
     *
     * @param key       the key, exactly as sent (spaces kept).
     * @param versionId the version id asked for ("" when none).
     */
    public record ObjectToDelete(String key, String versionId)
    {
        /** Normalises a null version id to "". */
        public ObjectToDelete
        {
            versionId = null == versionId ? "" : versionId;
        }
    }
}
