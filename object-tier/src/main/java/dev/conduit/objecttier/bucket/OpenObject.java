package dev.conduit.objecttier.bucket;

import dev.conduit.blocklayout.ObjectReadHandle;

/**
 * An object opened for reading: its metadata and a handle on exactly that version, so a GET
 * serves the bytes that match the headers it sent even if the key is overwritten meanwhile.
 * Closing releases the handle (range reads in flight keep their own pin).
 *
 * <p>One opened through a {@link ReadSlot} is the slot's own instance, re-armed for each open
 * once the previous one is closed: close it exactly once and drop it then.
 */
public final class OpenObject implements AutoCloseable
{
    private S3Object object;
    private ObjectReadHandle handle;
    private boolean closed;

    /**
     * @param object the object's S3 view.
     * @param handle the pinned version.
     */
    public OpenObject(final S3Object object, final ObjectReadHandle handle)
    {
        this.object = object;
        this.handle = handle;
    }

    /** @return the object's S3 view. */
    public S3Object object()
    {
        return object;
    }

    /** @return the pinned version. */
    public ObjectReadHandle handle()
    {
        return handle;
    }

    /** @return whether {@link #close()} has run since it was last opened. */
    boolean isClosed()
    {
        return closed;
    }

    /** Opens this (closed) instance again on another version. */
    OpenObject reopen(final S3Object view, final ObjectReadHandle version)
    {
        this.object = view;
        this.handle = version;
        this.closed = false;
        return this;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            handle.close();
        }
    }
}
