package dev.conduit.objecttier.bucket;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * What one reader (a connection: one request at a time) reuses from one GET to the next, so that
 * {@link BucketStore#open(String, String, ReadSlot)} allocates nothing for an unchanged object:
 * the store key's UTF-8 bytes (written into arrays kept by length, since the catalog compares
 * whole arrays), the {@link OpenObject} and its pinned {@link ObjectReadHandle}.
 *
 * <p>Reuse is never forced: while the slot's last {@link OpenObject} is still open (its owner has
 * not closed it) or a read still holds its handle, the next open makes new ones, as without a slot.
 *
 * <p>Threading: one thread at a time (the connection's current request).
 */
public final class ReadSlot
{
    /** Arrays kept, chosen by length modulo this (a power of two). */
    private static final int KEY_ARRAYS = 8;

    private final byte[][] keyArrays = new byte[KEY_ARRAYS][];
    private OpenObject open;

    /**
     * @param bucket a valid bucket name.
     * @param key    a valid S3 key.
     * @return the UTF-8 bytes of the object's store key ({@link StoreKeys#object}), in an array this
     *         slot may hand out again on its next call.
     */
    byte[] objectKey(final String bucket, final String key)
    {
        final String prefix = StoreKeys.objectPrefixTag();
        final int length = Utf8.length(key);
        if (length < 0)
        {
            return StoreKeys.objectBytes(bucket, key); // an unpaired surrogate: encode as String.getBytes does
        }
        final int total = prefix.length() + bucket.length() + 1 + length;
        final int slot = total & (KEY_ARRAYS - 1);
        byte[] bytes = keyArrays[slot];
        if (bytes == null || bytes.length != total)
        {
            bytes = new byte[total];
            keyArrays[slot] = bytes;
        }
        int at = Utf8.putAscii(prefix, bytes, 0);
        at = Utf8.putAscii(bucket, bytes, at);
        bytes[at++] = '/';
        Utf8.put(key, bytes, at);
        return bytes;
    }

    /** @return the handle to re-arm, or null while the slot's object is still open. */
    ObjectReadHandle reusableHandle()
    {
        return open != null && open.isClosed() ? open.handle() : null;
    }

    /**
     * @param object the S3 view of what was opened.
     * @param handle the handle the store returned (the slot's own when it re-armed it).
     * @return the slot's {@link OpenObject} re-opened on them, or a new one when the slot's is still open.
     */
    OpenObject open(final S3Object object, final ObjectReadHandle handle)
    {
        if (open == null || !open.isClosed())
        {
            // First use, or the last one is still someone's: the new pair becomes the slot's to reuse next.
            open = new OpenObject(object, handle);
            return open;
        }
        return open.reopen(object, handle);
    }
}
