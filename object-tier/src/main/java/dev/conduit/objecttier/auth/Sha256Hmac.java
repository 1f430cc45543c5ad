package dev.conduit.objecttier.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two primitives SigV4 is built from, HMAC-SHA256 and SHA-256, with their JCA objects made once
 * and reused, since looking them up per request costs more than the hashing of a small string.
 *
 * <p>Text is encoded into one reused byte array (no String, no fresh byte array per call), and the
 * HMAC is re-keyed only when the key changes: {@code doFinal} leaves the Mac keyed, and a verifier
 * signs with the same cached signing key request after request (compared by identity).
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
    private byte[] text = new byte[1024];
    private final byte[] digestOut = new byte[32];
    private final byte[] macOut = new byte[32];
    private byte[] macKey;

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
        final int length = utf8(data);
        mac.update(text, 0, length);
        return mac.doFinal();
    }

    /** @return SHA-256 of the UTF-8 bytes of {@code data}. */
    byte[] sha256(final CharSequence data)
    {
        final int length = utf8(data);
        sha256.update(text, 0, length);
        return sha256.digest();
    }

    /**
     * @return SHA-256 of the UTF-8 bytes of {@code data}, in an array of this object's that the next
     *         call overwrites.
     */
    byte[] sha256Reused(final CharSequence data)
    {
        final int length = utf8(data);
        sha256.update(text, 0, length);
        try
        {
            sha256.digest(digestOut, 0, digestOut.length);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("SHA-256 refused a 32-byte output", ex);
        }
        return digestOut;
    }

    /** @return whether HMAC-SHA256 of the UTF-8 bytes of {@code data} under {@code key} is {@code expected} (constant time). */
    boolean hmacEquals(final byte[] key, final CharSequence data, final byte[] expected)
    {
        initMac(key);
        final int length = utf8(data);
        mac.update(text, 0, length);
        try
        {
            mac.doFinal(macOut, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 refused a 32-byte output", ex);
        }
        return MessageDigest.isEqual(macOut, expected);
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
        // Identity, not content: a caller that changes a key array in place must not reuse it.
        if (key == macKey)
        {
            return;
        }
        macKey = null;
        try
        {
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            macKey = key;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 refused a key", ex);
        }
    }

    /** Encodes {@code data} as UTF-8 into {@link #text}; unpaired surrogates become '?', as String.getBytes does. */
    private int utf8(final CharSequence data)
    {
        final int chars = data.length();
        if (text.length < chars * 3)
        {
            text = new byte[Math.max(chars * 3, text.length * 2)];
        }
        final byte[] out = text;
        int n = 0;
        for (int i = 0; i < chars; i++)
        {
            final char c = data.charAt(i);
            if (c < 0x80)
            {
                out[n++] = (byte)c;
            }
            else if (c < 0x800)
            {
                out[n++] = (byte)(0xC0 | c >> 6);
                out[n++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(data.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, data.charAt(++i));
                out[n++] = (byte)(0xF0 | cp >> 18);
                out[n++] = (byte)(0x80 | cp >> 12 & 0x3F);
                out[n++] = (byte)(0x80 | cp >> 6 & 0x3F);
                out[n++] = (byte)(0x80 | cp & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                out[n++] = '?';
            }
            else
            {
                out[n++] = (byte)(0xE0 | c >> 12);
                out[n++] = (byte)(0x80 | c >> 6 & 0x3F);
                out[n++] = (byte)(0x80 | c & 0x3F);
            }
        }
        return n;
    }
}
