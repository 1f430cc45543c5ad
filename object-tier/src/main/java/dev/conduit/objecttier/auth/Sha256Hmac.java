package dev.conduit.objecttier.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two primitives SigV4 is built from, HMAC-SHA256 and SHA-256, with their JCA objects made once
 * and reused, since looking them up per request costs more than the hashing of a small string.
 *
 * <p>Threading: not thread-safe; one instance per thread or per request.
 */
final class Sha256Hmac
{
    /** Lower-hex SHA-256 of the empty string. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String HMAC_SHA256 = "HmacSHA256";

    private final Mac mac;
    private final MessageDigest sha256;

    Sha256Hmac()
    {
        try
        {
            this.mac = Mac.getInstance(HMAC_SHA256);
            this.sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK lacks SHA-256 or HmacSHA256", ex);
        }
    }

    /** @return HMAC-SHA256 of the UTF-8 bytes of {@code data} under {@code key}. */
    byte[] hmac(final byte[] key, final CharSequence data)
    {
        initMac(key);
        return mac.doFinal(utf8(data));
    }

    /** @return SHA-256 of the UTF-8 bytes of {@code data}. */
    byte[] sha256(final CharSequence data)
    {
        return sha256.digest(utf8(data));
    }

    /** Adds bytes to the running SHA-256 (consumed up to the limit). */
    void sha256Update(final ByteBuffer data)
    {
        sha256.update(data);
    }

    /** @return the running SHA-256, which starts over. */
    byte[] sha256Finish()
    {
        return sha256.digest();
    }

    private void initMac(final byte[] key)
    {
        try
        {
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 refused a key", ex);
        }
    }

    private static byte[] utf8(final CharSequence data)
    {
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
