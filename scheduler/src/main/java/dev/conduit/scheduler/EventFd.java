package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.Platform;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An eventfd(2) used to wake a device thread blocked in {@code io_uring_enter}: the thread keeps a
 * READ of the eventfd armed in its ring, and any thread's {@link #signal} completes it. Made with
 * {@link LibC#syscall} because {@code LibC} has no eventfd/write wrappers yet; the syscall numbers
 * are the x86_64 and aarch64 ones. (These two calls belong in native-bindings and can move there.)
 *
 * <p>Threading: {@link #signal} from any thread; {@link #close()} once, after the last signal.
 */
final class EventFd implements AutoCloseable
{
    private static final long SYS_EVENTFD2 = Platform.isAarch64() ? 19 : 290;
    private static final long SYS_WRITE = Platform.isAarch64() ? 64 : 1;
    private static final long EFD_CLOEXEC = LibC.O_CLOEXEC;
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
     * @throws NativeException when eventfd2 fails.
     */
    static EventFd create()
    {
        if (!Platform.isX86_64() && !Platform.isAarch64())
        {
            throw new UnsupportedOperationException("eventfd syscall numbers are known for x86_64 and aarch64 only");
        }
        final long fd = LibC.syscall(SYS_EVENTFD2, 0, EFD_CLOEXEC, 0, 0, 0, 0);
        if (fd < 0)
        {
            throw NativeException.errno("eventfd2(0, EFD_CLOEXEC)", (int)-fd);
        }
        return new EventFd((int)fd);
    }

    int fd()
    {
        return fd;
    }

    /** Adds 1 to the counter, completing a pending read. Allocates nothing. */
    void signal()
    {
        long rc;
        do
        {
            rc = LibC.syscall(SYS_WRITE, fd, ONE.address(), 8, 0, 0, 0);
        }
        while (rc == -Errno.EINTR);
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.check(LibC.close(fd), "close(eventfd " + fd + ")");
        }
    }
}
