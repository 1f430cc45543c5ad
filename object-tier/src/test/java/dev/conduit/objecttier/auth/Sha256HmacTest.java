package dev.conduit.objecttier.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reused-buffer hashing against the JDK's own on fresh objects: text of every UTF-8 length
 * (including a buffer that must grow, and unpaired surrogates), and a Mac kept keyed only for the
 * very same key array.
 */
class Sha256HmacTest
{
    private static final String[] TEXTS = {
        "", "GET\n/bucket/key\n\nhost:localhost\n", "é ü ß", "\u20ac \u4e2d\u6587", "\uD83D\uDE00 emoji",
        "lone \uD800 high", "lone \uDC00 low", "end \uD800", "x".repeat(5000), "\u4e2d".repeat(2000),
    };

    @Test
    void shouldHashLikeTheJdkForEveryKindOfText() throws Exception
    {
        final Sha256Hmac crypto = new Sha256Hmac();
        final byte[] key = "key".getBytes(StandardCharsets.UTF_8);
        for (final String text : TEXTS)
        {
            final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes), crypto.sha256(new StringBuilder(text)),
                text);
            assertArrayEquals(jdkHmac(key, bytes), crypto.hmac(key, text), text);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes), crypto.sha256Reused(text), text);
            assertTrue(crypto.hmacEquals(key, text, jdkHmac(key, bytes)), text);
            final byte[] wrong = jdkHmac(key, bytes);
            wrong[31] ^= 1;
            assertFalse(crypto.hmacEquals(key, text, wrong), text);
        }
    }

    @Test
    void shouldRekeyForAnotherKeyArrayAndReuseTheSameOne() throws Exception
    {
        final Sha256Hmac crypto = new Sha256Hmac();
        final byte[] first = {1, 2, 3};
        final byte[] second = {4, 5, 6};
        final byte[] data = "data".getBytes(StandardCharsets.UTF_8);

        assertArrayEquals(jdkHmac(first, data), crypto.hmac(first, "data"));
        assertArrayEquals(jdkHmac(first, data), crypto.hmac(first, "data"));
        assertArrayEquals(jdkHmac(second, data), crypto.hmac(second, "data"));
        assertArrayEquals(jdkHmac(first, data), crypto.hmac(first, "data"));
    }

    private static byte[] jdkHmac(final byte[] key, final byte[] data) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
