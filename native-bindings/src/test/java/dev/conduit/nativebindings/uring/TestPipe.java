package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.LibC;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A real pipe for io_uring tests: a descriptor that transfers fewer bytes than asked when it holds
 * fewer, completes {@code -EAGAIN} when empty and non-blocking, and blocks a reader until written to.
 */
final class TestPipe implements AutoCloseable
{
    final int readFd;
    final int writeFd;

    private TestPipe(final int readFd, final int writeFd)
    {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /**
     * @param flags {@code pipe2} flags besides {@code O_CLOEXEC}, e.g. {@link LibC#O_NONBLOCK}.
     * @return the open pipe.
     */
    static TestPipe open(final int flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment fds = arena.allocate(JAVA_INT, 2);
            LibC.check(LibC.pipe2(fds, flags | LibC.O_CLOEXEC), "pipe2");
            return new TestPipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        }
    }

    /** Writes all of {@code data} into the pipe (it must fit in the pipe's buffer). */
    void write(final MemorySegment data)
    {
        final long written = LibC.write(writeFd, data, data.byteSize());
        if (written != data.byteSize())
        {
            throw new AssertionError("pipe write of " + data.byteSize() + " bytes returned " + written);
        }
    }

    @Override
    public void close()
    {
        LibC.close(readFd);
        LibC.close(writeFd);
    }
}
