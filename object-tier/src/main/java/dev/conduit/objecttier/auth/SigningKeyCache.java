package dev.conduit.objecttier.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The derived SigV4 signing keys, HMAC("AWS4" + secret, date) then region, "s3" and "aws4_request":
 * four HMACs a request would otherwise pay for, and the same for every request of a key on a day.
 *
 * <p>Bounded: when it holds more than {@link #MAX_ENTRIES} keys (presigned URLs can name up to
 * seven past days per key) it starts over rather than tracking recency.
 *
 * <p>The key most recently used is checked first, without building a map key: nearly every
 * request of a day is signed with the same key pair and date.
 *
 * <p>Threading: thread-safe.
 */
final class SigningKeyCache
{
    static final int MAX_ENTRIES = 4096;

    private final ConcurrentHashMap<String, byte[]> keys = new ConcurrentHashMap<>();
    private final String region;
    private volatile Recent recent;

    /** The last key handed out, with what it was derived from. */
    private record Recent(Credentials credentials, String date, byte[] key)
    {
    }

    SigningKeyCache(final String region)
    {
        this.region = region;
    }

    /**
     * @param credentials the key pair.
     * @param date        the scope date, {@code yyyyMMdd}.
     * @param crypto      the calling thread's HMAC.
     * @return the signing key (shared; do not modify).
     */
    byte[] signingKey(final Credentials credentials, final String date, final Sha256Hmac crypto)
    {
        final Recent last = recent;
        if (last != null && last.credentials() == credentials && last.date().equals(date))
        {
            return last.key();
        }
        final String cacheKey = credentials.accessKeyId() + '/' + date;
        final byte[] cached = keys.get(cacheKey);
        if (cached != null)
        {
            recent = new Recent(credentials, date, cached);
            return cached;
        }
        final byte[] secret = ("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8);
        final byte[] dateKey = crypto.hmac(secret, date);
        final byte[] key = crypto.hmac(crypto.hmac(crypto.hmac(dateKey, region), "s3"), "aws4_request");
        if (keys.size() >= MAX_ENTRIES)
        {
            keys.clear();
        }
        keys.put(cacheKey, key);
        recent = new Recent(credentials, date, key);
        return key;
    }
}
