package dev.conduit.blocklayout;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * Object keys: UTF-8, 1..{@link #MAX_KEY_BYTES} bytes, ordered by unsigned byte comparison (which is
 * code point order, the order S3 lists in).
 */
public final class Keys
{
    /**
     * Longest key, in UTF-8 bytes: S3's 1024 plus room for the short bucket prefix the object tier
     * puts in front of every S3 key (the record's keyLength field is a u16, so this is not a format limit).
     */
    public static final int MAX_KEY_BYTES = 1280;

    private Keys()
    {
    }

    /**
     * @param key a key.
     * @return its UTF-8 bytes.
     * @throws dev.conduit.core.ConduitException {@code INVALID_KEY} (empty, unpaired
     *         surrogate) or {@code KEY_TOO_LONG}.
     */
    public static byte[] encode(final String key)
    {
        if (key == null || key.isEmpty())
        {
            throw LayoutErrors.error(ErrorCode.INVALID_KEY, "keys must not be empty");
        }
        final byte[] bytes = utf8(key);
        if (bytes.length > MAX_KEY_BYTES)
        {
            throw LayoutErrors.error(ErrorCode.KEY_TOO_LONG,
                "key is " + bytes.length + " UTF-8 bytes; the limit is " + MAX_KEY_BYTES + ": " + key.substring(0, 40) + "...");
        }
        return bytes;
    }

    /**
     * @param key a key's UTF-8 bytes, as {@link #encode} makes them.
     * @throws dev.conduit.core.ConduitException {@code INVALID_KEY} (empty) or {@code KEY_TOO_LONG}.
     */
    static void checkEncoded(final byte[] key)
    {
        if (key.length == 0)
        {
            throw LayoutErrors.error(ErrorCode.INVALID_KEY, "keys must not be empty");
        }
        if (key.length > MAX_KEY_BYTES)
        {
            throw LayoutErrors.error(ErrorCode.KEY_TOO_LONG,
                "key is " + key.length + " UTF-8 bytes; the limit is " + MAX_KEY_BYTES);
        }
    }

    /**
     * @param text any string.
     * @return its UTF-8 bytes, strictly encoded.
     * @throws dev.conduit.core.ConduitException {@code INVALID_KEY} for unpaired surrogates.
     */
    static byte[] utf8(final String text)
    {
        if (!hasSurrogate(text))
        {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try
        {
            final ByteBuffer out = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(text));
            return Arrays.copyOf(out.array(), out.limit());
        }
        catch (final CharacterCodingException e)
        {
            throw LayoutErrors.error(ErrorCode.INVALID_KEY, "not valid Unicode (unpaired surrogate): " + text.replaceAll("\\p{Cs}", "?"), e);
        }
    }

    private static boolean hasSurrogate(final String text)
    {
        for (int i = 0, n = text.length(); i < n; i++)
        {
            if (Character.isSurrogate(text.charAt(i)))
            {
                return true;
            }
        }
        return false;
    }
}
