package dev.conduit.objecttier.payload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A JCA message digest (SHA-1, SHA-256) as a {@link PayloadDigest}. */
final class HashDigest implements PayloadDigest
{
    private final MessageDigest digest;
    private byte[] value;

    HashDigest(final String jcaName)
    {
        try
        {
            this.digest = MessageDigest.getInstance(jcaName);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK lacks " + jcaName, ex);
        }
    }

    @Override
    public void update(final ByteBuffer bytes)
    {
        digest.update(bytes);
    }

    @Override
    public String base64()
    {
        return Base64.getEncoder().encodeToString(value());
    }

    /** @return the raw digest (ends the computation). */
    byte[] value()
    {
        if (value == null)
        {
            value = digest.digest();
        }
        return value;
    }
}
