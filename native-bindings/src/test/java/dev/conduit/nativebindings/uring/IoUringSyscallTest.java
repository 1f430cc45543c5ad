package dev.conduit.nativebindings.uring;

import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link IoUringSyscall#enterCapturingOnlyFailures}: the uncaptured call alone would report every
 * failure as -1 (EPERM's number); the re-issue through the capturing call must name the real errno,
 * which {@code RingSubmitter} needs to tell EINTR, EAGAIN and EBUSY from real failures. The
 * successful path is every ring test's: {@code RingSubmitter} enters only through it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoUringSyscallTest
{
    private static final int CLOSED_FD = 123_456;

    @Test
    void shouldNameTheErrnoOfAFailedEnterByIssuingItAgain()
    {
        assertEquals(-Errno.EBADF, IoUringSyscall.enterCapturingOnlyFailures(CLOSED_FD, 0, 0, 0));
        assertEquals(-Errno.EBADF,
            IoUringSyscall.enterCapturingOnlyFailures(CLOSED_FD, 1, 1, IoUringSyscall.IORING_ENTER_GETEVENTS));
        try (TestPipe pipe = TestPipe.open(0))
        {
            assertEquals(-Errno.EOPNOTSUPP, IoUringSyscall.enterCapturingOnlyFailures(pipe.readFd, 0, 0, 0),
                "a descriptor that is not a ring");
        }
    }
}
