package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An eventfd(2) used to wake a device thread blocked in {@code io_uring_enter}: the thread keeps a
 * READ of the eventfd armed in its ring, and any thread's {@link #signal} completes it.
 *
 * <p>Threading: {@link #signal} from any thread; {@link #close()} from the owner. Both hold this
 * object's lock, so a signal racing with close never writes to a closed (possibly reused) descriptor;
 * signals are rare (only to wake a parked device), so the lock costs nothing on the I/O path.
 */
final class EventFd implements AutoCloseable
{
    /** The value every signal adds: 1, as a u64 in native memory shared by all eventfds. */
    private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);

    static
    {
        ONE.set(JAVA_LONG, 0, 1L);
    }

    private final int fd;
    private boolean closed;

    private EventFd(final int fd)
    {
        this.fd = fd;
    }

    /**
     * @return a blocking eventfd (io_uring waits on blocking files; it returns EAGAIN for non-blocking ones).
     * @throws NativeException when eventfd fails.
     */
    static EventFd create()
    {
        final int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (fd < 0)
        {
            throw NativeException.errno("eventfd(0, EFD_CLOEXEC)", -fd);
        }
        return new EventFd(fd);
    }

    int fd()
    {
        return fd;
    }

    /** Adds 1 to the counter, completing a pending read; does nothing once closed. Allocates nothing. */
    synchronized void signal()
    {
        if (closed)
        {
            return;
        }
        if (LibC.writeWithoutErrno(fd, ONE, 8) == 8)
        {
            return;
        }
        long rc;
        do
        {
            rc = LibC.write(fd, ONE, 8);
        }
        while (rc == -Errno.EINTR);
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.check(LibC.close(fd), "close(eventfd " + fd + ")");
        }
    }
}
