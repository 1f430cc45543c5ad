package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.nativebindings.Errno;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Test doubles over a {@link MemoryTarget}: one that fails a byte range, one that transfers a few bytes per call. */
final class TestTargets
{
    private TestTargets()
    {
    }

    /** Fails every call that touches {@code [faultStart, faultEnd)} with {@code errno}; otherwise behaves like memory. */
    static final class Faulty implements DeviceTarget
    {
        private final MemoryTarget memory;
        private final long faultStart;
        private final long faultEnd;
        private final int errno;
        final AtomicInteger faults = new AtomicInteger();

        Faulty(final MemoryTarget memory, final long faultStart, final long faultEnd, final int errno)
        {
            this.memory = memory;
            this.faultStart = faultStart;
            this.faultEnd = faultEnd;
            this.errno = errno;
        }

        @Override
        public String name()
        {
            return "faulty";
        }

        @Override
        public long sizeBytes()
        {
            return memory.sizeBytes();
        }

        @Override
        public int alignment()
        {
            return 1;
        }

        @Override
        public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return touchesFault(iov, iovCount, offsetBytes) ? -errno : memory.readv(iov, iovCount, offsetBytes);
        }

        @Override
        public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return touchesFault(iov, iovCount, offsetBytes) ? -errno : memory.writev(iov, iovCount, offsetBytes);
        }

        private boolean touchesFault(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            long length = 0;
            for (int i = 0; i < iovCount; i++)
            {
                length += iov.get(JAVA_LONG, i * 16L + 8);
            }
            final boolean touches = offsetBytes < faultEnd && offsetBytes + length > faultStart;
            if (touches)
            {
                faults.incrementAndGet();
            }
            return touches;
        }
    }

    /** Answers the first call with EINTR, then moves at most {@code maxPerCall} bytes per call (exercises short-transfer handling). */
    static final class Dribble implements DeviceTarget
    {
        private final MemoryTarget memory;
        private final long maxPerCall;
        final AtomicInteger calls = new AtomicInteger();

        Dribble(final MemorySegment memory, final long maxPerCall)
        {
            this.memory = new MemoryTarget("dribble", memory);
            this.maxPerCall = maxPerCall;
        }

        @Override
        public String name()
        {
            return memory.name();
        }

        @Override
        public long sizeBytes()
        {
            return memory.sizeBytes();
        }

        @Override
        public int alignment()
        {
            return 1;
        }

        @Override
        public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return calls.getAndIncrement() == 0 ? -Errno.EINTR : memory.transfer(iov, iovCount, offsetBytes, true, maxPerCall);
        }

        @Override
        public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return calls.getAndIncrement() == 0 ? -Errno.EINTR : memory.transfer(iov, iovCount, offsetBytes, false, maxPerCall);
        }
    }
}
