package dev.conduit.gdspath;

import dev.conduit.blocklayout.Keys;

/**
 * The UTF-8 bytes of the keys read most recently, so a reader that reads one shard after another
 * (the Loader: many reads per shard, each naming the shard by the same {@code String}) encodes each
 * key once, not once per read. Direct-mapped by the key's hash (which a {@code String} caches): the
 * same {@code String} hits on an identity check, an equal one on {@code equals}, and a miss encodes
 * and replaces the slot.
 *
 * <p>Threading: any thread. A slot holds an immutable pair, so a racing reader sees either the old
 * pair or the new one, never a key with another key's bytes.
 */
final class EncodedKeys
{
    private static final int SLOTS = 64;

    private record Entry(String key, byte[] bytes)
    {
    }

    private final Entry[] slots = new Entry[SLOTS];

    /**
     * @param key a store key.
     * @return its UTF-8 bytes; shared with later callers, so never change them.
     */
    byte[] encode(final String key)
    {
        final int slot = key.hashCode() & (SLOTS - 1);
        final Entry entry = slots[slot];
        if (entry != null && (entry.key == key || entry.key.equals(key)))
        {
            return entry.bytes;
        }
        final byte[] bytes = Keys.encode(key);
        slots[slot] = new Entry(key, bytes);
        return bytes;
    }
}
