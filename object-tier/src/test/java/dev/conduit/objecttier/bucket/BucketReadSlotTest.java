package dev.conduit.objecttier.bucket;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.conduit.objecttier.S3Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.objecttier.bucket.TestBuckets.MIB;
import static dev.conduit.objecttier.bucket.TestBuckets.assertS3Error;
import static dev.conduit.objecttier.bucket.TestBuckets.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Opens through a {@link ReadSlot} on a real store: the slot's {@link OpenObject} and handle are
 * reused from one open to the next, and a reused one never carries the previous open's key,
 * version or bytes (keys of the same and of other lengths, non-ASCII keys, an overwrite between
 * opens, a missing key); one still open is never taken over.
 */
@Timeout(60)
class BucketReadSlotTest extends RealStoreTest
{
    private static final String BUCKET = "slot";

    BucketReadSlotTest()
    {
        super(64L * MIB, BUCKET);
    }

    @Test
    void shouldReuseTheSlotWithoutCarryingTheLastOpensKeyVersionOrBytes()
    {
        // Same length as "k-1" and others; non-ASCII of 2, 3 and 4 UTF-8 bytes per character.
        final List<String> keys = List.of("k-1", "k-2", "a/longer/key", "k-3", "caf\u00e9/\u6587\u4ef6-\ud83d\ude00", "k-1");
        for (int i = 0; i < keys.size() - 1; i++)
        {
            t.put(BUCKET, keys.get(i), content(i, 100 + i), S3Metadata.EMPTY);
        }
        final ReadSlot slot = new ReadSlot();
        OpenObject previous = null;
        for (int i = 0; i < keys.size(); i++)
        {
            final String key = keys.get(i);
            final int seed = keys.indexOf(key);
            try (OpenObject open = buckets.open(BUCKET, key, slot))
            {
                if (previous != null)
                {
                    assertSame(previous, open, "a closed slot object is reused");
                }
                previous = open;
                assertEquals(key, open.object().key());
                assertEquals(BUCKET, open.object().bucket());
                assertEquals(100 + seed, open.object().sizeBytes());
                assertArrayEquals(content(seed, 100 + seed), open.handle().readAllBytes());
            }
        }
        // An overwrite between two opens of one key: the slot serves the new version.
        t.put(BUCKET, "k-2", content(42, 77), S3Metadata.EMPTY);
        try (OpenObject open = buckets.open(BUCKET, "k-2", slot))
        {
            assertEquals(77, open.object().sizeBytes());
            assertArrayEquals(content(42, 77), open.handle().readAllBytes());
        }
        assertS3Error(S3Error.NoSuchKey, () -> buckets.open(BUCKET, "k-9", slot));
        assertS3Error(S3Error.NoSuchBucket, () -> buckets.open("absent", "k-1", slot));
    }

    @Test
    void shouldNotTakeOverAnObjectThatIsStillOpen()
    {
        t.put(BUCKET, "x", content(1, 10), S3Metadata.EMPTY);
        t.put(BUCKET, "y", content(2, 20), S3Metadata.EMPTY);
        final ReadSlot slot = new ReadSlot();
        try (OpenObject x = buckets.open(BUCKET, "x", slot); OpenObject y = buckets.open(BUCKET, "y", slot))
        {
            assertNotSame(x, y);
            assertNotSame(x.handle(), y.handle());
            assertArrayEquals(content(1, 10), x.handle().readAllBytes());
            assertArrayEquals(content(2, 20), y.handle().readAllBytes());
        }
    }

    @Test
    void shouldEncodeStoreKeysAsStringGetBytesDoes()
    {
        final ReadSlot slot = new ReadSlot();
        for (final String key : List.of("a", "k-1", "caf\u00e9", "\u6587\u4ef6", "\ud83d\ude00x", "\u07ff\u0800\uffff", "x\ud800"))
        {
            assertArrayEquals(StoreKeys.object(BUCKET, key).getBytes(StandardCharsets.UTF_8), slot.objectKey(BUCKET, key),
                key);
        }
    }
}
