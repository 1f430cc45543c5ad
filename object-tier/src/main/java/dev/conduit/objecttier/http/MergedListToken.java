package dev.conduit.objecttier.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.tier.ListPosition;

/**
 * The ListObjectsV2 continuation token of a read-through bucket, whose listing merges local and
 * cold keys ({@link ListPosition}): URL-safe base64, without padding, of
 *
 * <pre>
 * version (1 byte, 1) | flags (1 byte: 1 local side done, 2 cold side done)
 * | length (2 bytes) + UTF-8 of the key both sides resume after
 * | length (2 bytes) + the cold tier's own continuation token ("" = resume the cold side after the key)
 * | check (8 bytes): HMAC-SHA256 of all the above and of the listing it belongs to (bucket, prefix,
 *   delimiter, cold location), truncated
 * </pre>
 *
 * <p>The check's key is fixed, so tokens outlive a restart and work on every server of the same
 * data: it tells a token of this listing from a corrupted one, one of another listing or bucket,
 * or a plain bucket's token (the base64 of a key), each refused with 400 InvalidArgument. It does not
 * make a token secret or unforgeable: a forged token can only name positions of a listing the
 * client may read anyway. Plain buckets keep their own token format.
 */
final class MergedListToken
{
    private static final byte VERSION = 1;
    private static final int LOCAL_DONE = 1;
    private static final int COLD_DONE = 2;
    private static final int CHECK_BYTES = 8;
    private static final int MAX_FIELD_BYTES = 0xFFFF;
    private static final SecretKeySpec CHECK_KEY = new SecretKeySpec(
        "conduit merged listing token, version 1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
    private static final String PARAMETER = "continuation-token";

    private MergedListToken()
    {
    }

    /**
     * The listing a token belongs to: its check covers these, so a token is refused by any other listing.
     *
     * @param bucket       the bucket.
     * @param prefix       the listing's prefix.
     * @param delimiter    its delimiter.
     * @param coldLocation the bucket's cold location ({@code s3://bucket/prefix}).
     */
    record Scope(String bucket, String prefix, String delimiter, String coldLocation)
    {
    }

    /**
     * @param position where the next page starts.
     * @param scope    the listing.
     * @return the token.
     * @throws IllegalArgumentException when a field does not fit its length (a key never does; a cold token over 64 KiB).
     */
    static String encode(final ListPosition position, final Scope scope)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeByte(VERSION);
            out.writeByte((position.localDone() ? LOCAL_DONE : 0) | (position.coldDone() ? COLD_DONE : 0));
            writeField(out, position.after());
            writeField(out, position.coldToken());
            out.write(check(bytes.toByteArray(), scope));
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * @param token a client's continuation token.
     * @param scope the listing it was sent with.
     * @return the position it names.
     * @throws S3Exception InvalidArgument when it is not a token of this listing, unchanged.
     */
    static ListPosition decode(final String token, final Scope scope)
    {
        final byte[] bytes;
        try
        {
            bytes = Base64.getUrlDecoder().decode(token);
        }
        catch (final IllegalArgumentException e)
        {
            throw refused("it is not URL-safe base64");
        }
        if (bytes.length < 2 + CHECK_BYTES || bytes[0] != VERSION)
        {
            throw refused("it is not a token of a read-through bucket's listing (unknown version or too short)");
        }
        final byte[] body = Arrays.copyOf(bytes, bytes.length - CHECK_BYTES);
        if (!MessageDigest.isEqual(check(body, scope), Arrays.copyOfRange(bytes, body.length, bytes.length)))
        {
            throw refused("its check does not match: it was changed, or belongs to another listing "
                + "(another bucket, prefix, delimiter or cold location)");
        }
        final int flags = body[1];
        if ((flags & ~(LOCAL_DONE | COLD_DONE)) != 0)
        {
            throw refused("unknown flags");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body, 2, body.length - 2)))
        {
            final String after = readField(in);
            final String coldToken = readField(in);
            if (in.available() != 0)
            {
                throw refused("bytes after its last field");
            }
            return new ListPosition(after, (flags & LOCAL_DONE) != 0, (flags & COLD_DONE) != 0, coldToken);
        }
        catch (final EOFException | CharacterCodingException e)
        {
            throw refused("a field is cut short or not UTF-8");
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    private static void writeField(final DataOutputStream out, final String text) throws IOException
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_FIELD_BYTES)
        {
            throw new IllegalArgumentException("a continuation token field of " + utf8.length + " bytes (at most "
                + MAX_FIELD_BYTES + ")");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readField(final DataInputStream in) throws IOException
    {
        final byte[] utf8 = new byte[in.readUnsignedShort()];
        in.readFully(utf8);
        final CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8));
        return text.toString();
    }

    private static byte[] check(final byte[] body, final Scope scope)
    {
        try
        {
            final Mac mac = Mac.getInstance(CHECK_KEY.getAlgorithm());
            mac.init(CHECK_KEY);
            for (final String part : new String[] {scope.bucket(), scope.prefix(), scope.delimiter(), scope.coldLocation()})
            {
                final byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
                // Length first, so ("a", "bc") and ("ab", "c") check differently.
                mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
                mac.update(utf8);
            }
            mac.update(body);
            return Arrays.copyOf(mac.doFinal(), CHECK_BYTES);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static S3Exception refused(final String why)
    {
        return new S3Exception(S3Error.InvalidArgument, "The continuation token provided is incorrect: " + why, PARAMETER);
    }
}
