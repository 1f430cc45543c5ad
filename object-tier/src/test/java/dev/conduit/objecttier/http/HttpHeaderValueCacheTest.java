package dev.conduit.objecttier.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link HeaderValueCache} never answers with another value's text: many more ETags and lengths
 * than it has slots (so slots are overwritten), asked twice each in two orders, and equal ETag
 * texts of different identity.
 */
@Timeout(30)
class HttpHeaderValueCacheTest
{
    @Test
    void shouldAnswerEveryValuesOwnTextWhateverWasCachedBefore()
    {
        final int count = 5000;
        final String[] etags = new String[count];
        for (int i = 0; i < count; i++)
        {
            etags[i] = Integer.toHexString(i * 7919);
        }
        for (int pass = 0; pass < 2; pass++)
        {
            for (int j = 0; j < count; j++)
            {
                final int i = pass == 0 ? j : count - 1 - j;
                assertEquals("\"" + etags[i] + "\"", HeaderValueCache.quotedEtag(etags[i]));
                assertEquals(Long.toString(i * 4097L), HeaderValueCache.decimal(i * 4097L));
                assertEquals(Long.toString(-i), HeaderValueCache.decimal(-i));
                assertEquals(Long.toString(((long)i << 32) + 4096), HeaderValueCache.decimal(((long)i << 32) + 4096));
            }
        }
        final String etag = "d41d8cd98f00b204e9800998ecf8427e";
        final String quoted = HeaderValueCache.quotedEtag(etag);
        assertSame(quoted, HeaderValueCache.quotedEtag(etag), "the same ETag text is answered from the cache");
        assertEquals(quoted, HeaderValueCache.quotedEtag(new String(etag.toCharArray())));
        assertSame(quoted, HeaderValueCache.quotedEtag(quoted), "a quoted ETag is sent as it is");
    }
}
