package dev.conduit.nativebindings.cufile;

import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * A buffer registered with cuFileBufRegister, deregistered by {@link #close()}. IO through a
 * registered buffer must pass its base ({@link #buffer()}) and an offset, as the API requires.
 *
 * <p>Threading: close after every IO using it has completed, before the memory is freed.
 */
public final class CuFileBufferRegistration implements AutoCloseable
{
    private final CuFileLibrary library;
    private final CuFileBuffer buffer;
    private final ReleaseOnce release = new ReleaseOnce();

    CuFileBufferRegistration(final CuFileLibrary library, final CuFileBuffer buffer)
    {
        this.library = library;
        this.buffer = buffer;
    }

    /** @return the registered buffer (its base is the one IO must pass). */
    public CuFileBuffer buffer()
    {
        return buffer;
    }

    /** cuFileBufDeregister; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            CuFileResults.check(library, library.bufDeregister(buffer.base()), "cuFileBufDeregister(" + buffer + ")");
        }
    }
}
