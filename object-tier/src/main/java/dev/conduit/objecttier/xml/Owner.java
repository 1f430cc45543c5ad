package dev.conduit.objecttier.xml;

/**
 * The owner S3 names in listings, ACLs and multipart documents ({@code <ID>} and
 * {@code <DisplayName>}). Conduit derives it from the access key that signed the request.
 *
 * @param id          canonical user id.
 * @param displayName display name.
 */
public record Owner(String id, String displayName)
{
    /** Normalises nulls to "". */
    public Owner
    {
        id = null == id ? "" : id;
        displayName = null == displayName ? "" : displayName;
    }
}
