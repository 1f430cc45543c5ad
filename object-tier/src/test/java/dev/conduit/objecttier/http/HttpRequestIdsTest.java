package dev.conduit.objecttier.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request ids are 16 upper-case hex digits, distinct, and x-amz-id-2 is base64 of "conduit/" and the id. */
@Timeout(30)
class HttpRequestIdsTest
{
    @Test
    void shouldMakeDistinctHexIdsAndTheirHostIds()
    {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
        {
            final String id = RequestIds.next();
            assertTrue(id.matches("[0-9A-F]{16}"), id);
            assertTrue(seen.add(id), id);
            assertEquals("conduit/" + id,
                new String(Base64.getDecoder().decode(RequestIds.hostId(id)), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldRewriteAConnectionsHeaderTextInPlaceForEachRequest()
    {
        final RequestIds.HeaderText text = new RequestIds.HeaderText();
        final CharSequence id = text.id();
        final CharSequence hostId = text.hostId();
        for (int i = 0; i < 1_000; i++)
        {
            final long value = RequestIds.nextValue();
            text.set(value);
            assertTrue(text.says(value));
            assertEquals(RequestIds.text(value), id.toString());
            assertEquals(RequestIds.hostId(RequestIds.text(value)), hostId.toString());
            assertTrue(text.id() == id && text.hostId() == hostId, "the same text objects, rewritten");
        }
        assertTrue(!text.says(RequestIds.nextValue()));
    }
}
