package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.tier.ListPosition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The continuation token of a read-through bucket's listing: round trip, and every kind of foreign or changed token refused. */
class MergedListTokenTest
{
    private static final MergedListToken.Scope SCOPE = new MergedListToken.Scope("data", "train/", "/", "s3://lake/p/");

    @Test
    void shouldRoundTripEveryField()
    {
        for (final ListPosition position : new ListPosition[] {
            new ListPosition("train/a/", false, false, ""),
            new ListPosition("train/ключ-\uD83D\uDE00", true, false, "1kDXaTg+/opaque=="),
            new ListPosition("", false, true, ""),
            new ListPosition("x".repeat(1024), true, true, "t".repeat(4000))})
        {
            final String token = MergedListToken.encode(position, SCOPE);
            assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe without padding: " + token);
            assertEquals(position, MergedListToken.decode(token, SCOPE));
        }
    }

    @Test
    void shouldRefuseATokenWithAnyByteChanged()
    {
        final byte[] bytes = Base64.getUrlDecoder().decode(MergedListToken.encode(new ListPosition("train/b", false, false, "cold"),
            SCOPE));
        for (int i = 0; i < bytes.length; i++)
        {
            for (final int flip : new int[] {0x01, 0x80})
            {
                final byte[] changed = bytes.clone();
                changed[i] ^= (byte)flip;
                assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(changed), SCOPE, "byte " + i + " ^ " + flip);
            }
        }
    }

    @Test
    void shouldRefuseATokenOfAnotherListingOrFormat()
    {
        final String token = MergedListToken.encode(new ListPosition("train/b", false, false, ""), SCOPE);
        assertRefused(token, new MergedListToken.Scope("other", "train/", "/", "s3://lake/p/"), "another bucket");
        assertRefused(token, new MergedListToken.Scope("data", "train", "/", "s3://lake/p/"), "another prefix");
        assertRefused(token, new MergedListToken.Scope("data", "train/", "", "s3://lake/p/"), "another delimiter");
        assertRefused(token, new MergedListToken.Scope("data", "train/", "/", "s3://lake/q/"), "another cold location");
        // The fields are length-prefixed in the check: moving a character from one field to the next is another listing.
        assertRefused(token, new MergedListToken.Scope("dat", "atrain/", "/", "s3://lake/p/"), "shifted fields");
        assertRefused(ListOperations.toToken("train/b"), SCOPE, "a plain bucket's token");
        assertRefused("not base64!", SCOPE, "not base64");
        assertRefused("", SCOPE, "empty");
        assertRefused(token.substring(0, token.length() - 3), SCOPE, "cut short");
        assertRefused(token + "AAAA", SCOPE, "bytes added");
    }

    @Test
    void shouldRefuseAnotherVersionAndKeepTheDocumentedLayout()
    {
        final String token = MergedListToken.encode(new ListPosition("k", false, false, ""), SCOPE);
        final byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[0] = 2;
        final S3Exception version = assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), SCOPE, "version 2");
        assertTrue(version.getMessage().contains("version"), version.getMessage());
        assertEquals("k", new String(bytes, 4, 1, StandardCharsets.UTF_8), "the layout the docs describe: the key after 4 bytes");
    }

    private static S3Exception assertRefused(final String token, final MergedListToken.Scope scope, final String what)
    {
        final S3Exception refused = assertThrows(S3Exception.class, () -> MergedListToken.decode(token, scope), what);
        assertEquals(S3Error.InvalidArgument, refused.error(), what);
        assertTrue(refused.getMessage().startsWith("The continuation token provided is incorrect: "), refused.getMessage());
        return refused;
    }
}
