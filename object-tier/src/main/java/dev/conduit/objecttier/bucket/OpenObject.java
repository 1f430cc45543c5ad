package dev.conduit.objecttier.bucket;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * An object opened for reading: its metadata and a handle on exactly that version, so a GET
 * serves the bytes that match the headers it sent even if the key is overwritten meanwhile.
 * Closing releases the handle (range reads in flight keep their own pin).
 *
 * @param object the object's S3 view.
 * @param handle the pinned version.
 */
public record OpenObject(S3Object object, ObjectReadHandle handle) implements AutoCloseable
{
    @Override
    public void close()
    {
        handle.close();
    }
}
