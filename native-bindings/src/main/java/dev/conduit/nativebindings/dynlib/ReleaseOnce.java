package dev.conduit.nativebindings.dynlib;

/**
 * The lifecycle every handle of a vendor library shares: released exactly once, however often
 * {@code close()} is called, and rejected with an {@link IllegalStateException} once released
 * rather than handed to the library, where a stale handle is undefined behaviour.
 *
 * <pre>{@code
 * public void close()
 * {
 *     if (release.tryRelease())
 *     {
 *         driver.check(driver.raw().streamDestroy(handle), "cuStreamDestroy_v2");
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: not synchronised, like the handles it guards: close only when no other thread
 * uses the handle.
 */
public final class ReleaseOnce
{
    private final String releasedMessage;
    private boolean released;

    /** For a handle that is never used after close, so it needs no message of its own. */
    public ReleaseOnce()
    {
        this("already released");
    }

    /** @param releasedMessage what {@link #ensureLive()} says once released, e.g. {@code CUDA stream is destroyed}. */
    public ReleaseOnce(final String releasedMessage)
    {
        this.releasedMessage = releasedMessage;
    }

    /** @return true on the first call only: the caller then releases the native resource. */
    public boolean tryRelease()
    {
        if (released)
        {
            return false;
        }
        released = true;
        return true;
    }

    /** @throws IllegalStateException once {@link #tryRelease()} has been called. */
    public void ensureLive()
    {
        if (released)
        {
            throw new IllegalStateException(releasedMessage);
        }
    }
}
