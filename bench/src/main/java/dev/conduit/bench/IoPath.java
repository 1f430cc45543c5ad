package dev.conduit.bench;

import dev.conduit.scheduler.Backend;
import dev.conduit.scheduler.IoUringBackend;

/**
 * How Conduit's side actually did its I/O, so fio can be given the equivalent: the engine, whether
 * the ring had the files and the buffers registered, and whether the page cache was bypassed.
 *
 * @param engine          {@code io_uring}, {@code pread} (a thread per slot) or {@code null} (no I/O).
 * @param registeredFiles the ring used registered file descriptors (fio's {@code registerfiles}).
 * @param fixedBuffers    reads and writes used registered buffers (fio's {@code fixedbufs}).
 * @param direct          O_DIRECT (fio's {@code direct=1}).
 */
public record IoPath(String engine, boolean registeredFiles, boolean fixedBuffers, boolean direct)
{
    /** The io_uring engine. */
    public static final String IO_URING = "io_uring";
    /** One blocking pread/pwrite per in-flight slot. */
    public static final String PREAD = "pread";
    /** No I/O at all (the scheduler alone). */
    public static final String NULL = "null";

    /**
     * @param backend        what a device ran on (asked after the run: registering buffers can fail at start-up).
     * @param buffersOffered the bench gave the backend its buffers to register.
     * @param direct         whether the target was opened with O_DIRECT.
     * @return the path.
     */
    public static IoPath of(final Backend backend, final boolean buffersOffered, final boolean direct)
    {
        if (backend instanceof IoUringBackend uring)
        {
            return new IoPath(IO_URING, uring.usesRegisteredFiles(),
                buffersOffered && uring.registeredBuffersProblem().isEmpty(), direct);
        }
        return new IoPath(backend.name().equals(NULL) ? NULL : PREAD, false, false, direct);
    }

    /** @return e.g. {@code io_uring+regfiles+fixedbufs}, as the report shows it. */
    public String describe()
    {
        return engine + (registeredFiles ? "+regfiles" : "") + (fixedBuffers ? "+fixedbufs" : "");
    }
}
