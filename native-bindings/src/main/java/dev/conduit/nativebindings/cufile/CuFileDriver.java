package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.PosixFile;
import dev.conduit.nativebindings.cuda.CudaStream;
import dev.conduit.nativebindings.dynlib.ReleaseOnce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An open cuFile driver session: the entry point for handles, buffer registrations, batches,
 * stream registrations and statistics. Settings that must precede the open are in
 * {@link CuFileSettings}.
 *
 * <pre>{@code
 * try (CuFileDriver driver = CuFileDriver.open(library);
 *      CuFileHandle file = driver.register(posixFile);             // opened O_DIRECT
 *      CuFileBufferRegistration reg = driver.register(CuFileBuffer.of(deviceMemory), 0))
 * {
 *     long n = file.read(reg.buffer(), 0, 1 << 20, 0);
 * }
 * }</pre>
 *
 * <p>Close order (reverse of open): batches and async IO drained, stream registrations, buffer
 * registrations, handles, then the driver; closing the driver implicitly releases what is left.
 *
 * <p>Threading: every method is thread-safe (cuFile is); a CUDA context should be current on
 * threads that pass device memory.
 */
public final class CuFileDriver implements AutoCloseable
{
    private final CuFileLibrary library;
    private final ReleaseOnce release = new ReleaseOnce("cuFile driver session is closed");

    private CuFileDriver(final CuFileLibrary library)
    {
        this.library = library;
    }

    /**
     * cuFileDriverOpen.
     *
     * @param library a loaded libcufile.
     * @return the session.
     * @throws CuFileException e.g. {@code CU_FILE_DRIVER_NOT_INITIALIZED} (nvidia-fs missing, compat
     *                         off) or {@code CU_FILE_CUDA_DRIVER_ERROR} with the CUresult.
     */
    public static CuFileDriver open(final CuFileLibrary library)
    {
        CuFileResults.check(library, library.driverOpen(), "cuFileDriverOpen");
        return new CuFileDriver(library);
    }

    /** @return the library this session belongs to. */
    public CuFileLibrary library()
    {
        return library;
    }

    /** @return cuFileDriverGetProperties, decoded. */
    public CuFileDriverProperties properties()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment props = arena.allocate(CuFileLayouts.DRV_PROPS_ALLOCATION, 8);
            CuFileResults.check(library, library.driverGetProperties(props), "cuFileDriverGetProperties");
            return CuFileDriverProperties.decode(props);
        }
    }

    /** @return cuFileUseCount, the number of open sessions in the process. */
    public long useCount()
    {
        return library.useCount();
    }

    /**
     * Registers an open file (cuFileHandleRegister). For the GPUDirect path it must be a regular
     * file opened with O_DIRECT on a supported filesystem (ext4 data=ordered, XFS).
     *
     * @param file the open file; keep it open until the handle is closed.
     * @return the handle.
     */
    public CuFileHandle register(final PosixFile file)
    {
        return register(file.fd(), file.path());
    }

    /**
     * @param fd    an open file descriptor.
     * @param label how messages name it (usually the path).
     * @return the handle.
     */
    public CuFileHandle register(final int fd, final String label)
    {
        release.ensureLive();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment descr = arena.allocate(CuFileLayouts.DESCR);
            descr.set(JAVA_INT, 0, CuFileConstants.HANDLE_TYPE_OPAQUE_FD);
            descr.set(JAVA_INT, CuFileLayouts.DESCR_FD, fd);
            final MemorySegment slot = arena.allocate(ADDRESS);
            CuFileResults.check(library, library.handleRegister(slot, descr), "cuFileHandleRegister(fd=" + fd + ", " + label + ")");
            return new CuFileHandle(library, slot.get(ADDRESS, 0), label);
        }
    }

    /**
     * Registers a buffer (cuFileBufRegister); optional, worth it for buffers reused for many IOs.
     *
     * @param buffer device (or host) memory.
     * @param flags  0, or {@link CuFileConstants#RDMA_REGISTER} / {@link CuFileConstants#RDMA_RELAXED_ORDERING}.
     * @return the registration.
     */
    public CuFileBufferRegistration register(final CuFileBuffer buffer, final int flags)
    {
        release.ensureLive();
        CuFileResults.check(library, library.bufRegister(buffer.base(), buffer.byteSize(), flags),
            "cuFileBufRegister(" + buffer + ", flags=" + flags + ")");
        return new CuFileBufferRegistration(library, buffer);
    }

    /**
     * cuFileBatchIOSetUp.
     *
     * @param maxEntries 1 .. the library's batch size (128 by default).
     * @return the batch.
     */
    public CuFileBatch createBatch(final int maxEntries)
    {
        release.ensureLive();
        return CuFileBatch.create(library, maxEntries);
    }

    /**
     * cuFileStreamRegister: tells cuFile which async parameters are fixed at submission.
     *
     * @param stream the CUDA stream.
     * @param flags  {@code CuFileConstants.STREAM_*}.
     * @return the registration.
     */
    public CuFileStreamRegistration register(final CudaStream stream, final int flags)
    {
        release.ensureLive();
        CuFileResults.check(library, library.streamRegister(stream.handle(), flags),
            "cuFileStreamRegister(flags=0x" + Integer.toHexString(flags) + ")");
        return new CuFileStreamRegistration(library, stream);
    }

    /** @return the statistics controls. */
    public CuFileStats stats()
    {
        release.ensureLive();
        return new CuFileStats(library);
    }

    /** cuFileDriverClose_v2 (or cuFileDriverClose); a second call does nothing. */
    @Override
    public void close()
    {
        if (release.tryRelease())
        {
            CuFileResults.check(library, library.driverClose(), "cuFileDriverClose");
        }
    }
}
