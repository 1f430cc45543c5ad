package dev.conduit.objecttier.auth;

/**
 * An access key and its secret. {@link #toString()} never shows the secret.
 *
 * @param accessKeyId the public key id.
 * @param secretKey   the secret used to sign.
 */
public record Credentials(String accessKeyId, String secretKey)
{
    @Override
    public String toString()
    {
        return "Credentials[" + accessKeyId + "]";
    }
}
