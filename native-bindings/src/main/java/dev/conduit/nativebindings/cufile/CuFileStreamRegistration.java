package dev.conduit.nativebindings.cufile;

import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.dynlib.ReleaseOnce;

/**
 * A CUDA stream registered with cuFileStreamRegister, deregistered by {@link #close()} (which
 * synchronises the stream first, as the library does).
 *
 * <p>Threading: the stream's owner thread; close before the stream is destroyed.
 */
public final class CuFileStreamRegistration implements AutoCloseable
{
    private final CuFileLibrary library;
    private final CudaStream stream;
    private final ReleaseOnce release = new ReleaseOnce();

    CuFileStreamRegistration(final CuFileLibrary library, final CudaStream stream)
    {
        this.library = library;
        this.stream = stream;
    }

    /** @return the registered stream. */
    public CudaStream stream()
    {
        return stream;
    }

    /** cuFileStreamDeregister; a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            CuFileResults.check(library, library.streamDeregister(stream.handle()), "cuFileStreamDeregister");
        }
    }
}
