package dev.conduit.objecttier.http;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Response header values that repeat from one GET to the next, kept so that a repeated GET builds
 * no new string for them: the quoted ETag of an unchanged object (found by the identity of its
 * ETag text, which the reused S3 view of an unchanged record keeps) and the decimal text of a
 * length (Content-Length). Direct-mapped and lossy: a collision only costs the string it saves.
 *
 * <p>Threading: any thread; an entry is published whole.
 */
final class HeaderValueCache
{
    private static final int SLOTS = 256;

    private static final AtomicReferenceArray<Quoted> QUOTED = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicReferenceArray<Decimal> DECIMALS = new AtomicReferenceArray<>(SLOTS);

    private HeaderValueCache()
    {
    }

    /**
     * @param etag an ETag, quoted or not.
     * @return it in double quotes, as the ETag header carries it.
     */
    static String quotedEtag(final String etag)
    {
        if (etag.startsWith("\""))
        {
            return etag;
        }
        final int slot = System.identityHashCode(etag) & (SLOTS - 1);
        final Quoted cached = QUOTED.getAcquire(slot);
        if (cached != null && cached.etag() == etag)
        {
            return cached.quoted();
        }
        final String quoted = "\"" + etag + "\"";
        QUOTED.setRelease(slot, new Quoted(etag, quoted));
        return quoted;
    }

    /**
     * @param value a length.
     * @return its decimal text.
     */
    static String decimal(final long value)
    {
        final int slot = (int)(value ^ value >>> 32) & (SLOTS - 1);
        final Decimal cached = DECIMALS.getAcquire(slot);
        if (cached != null && cached.value() == value)
        {
            return cached.text();
        }
        final String text = Long.toString(value);
        DECIMALS.setRelease(slot, new Decimal(value, text));
        return text;
    }

    private record Quoted(String etag, String quoted)
    {
    }

    private record Decimal(long value, String text)
    {
    }
}
