package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.nativebindings.Errno;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
        private final MemorySegment memory;
        private final long maxPerCall;
        final AtomicInteger calls = new AtomicInteger();

        Dribble(final MemorySegment memory, final long maxPerCall)
        {
            this.memory = memory;
            this.maxPerCall = maxPerCall;
        }

        @Override
        public String name()
        {
            return "dribble";
        }

        @Override
        public long sizeBytes()
        {
            return memory.byteSize();
        }

        @Override
        public int alignment()
        {
            return 1;
        }

        @Override
        public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return transfer(iov, iovCount, offsetBytes, true);
        }

        @Override
        public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
        {
            return transfer(iov, iovCount, offsetBytes, false);
        }

        private long transfer(final MemorySegment iov, final int iovCount, final long offsetBytes, final boolean read)
        {
            if (calls.getAndIncrement() == 0)
            {
                return -Errno.EINTR;
            }
            long budget = maxPerCall;
            long position = offsetBytes;
            for (int i = 0; i < iovCount && budget > 0 && position < memory.byteSize(); i++)
            {
                final long address = iov.get(ADDRESS, i * 16L).address();
                final long length = Math.min(Math.min(iov.get(JAVA_LONG, i * 16L + 8), budget), memory.byteSize() - position);
                final MemorySegment buffer = MemorySegment.ofAddress(address).reinterpret(length);
                if (read)
                {
                    MemorySegment.copy(memory, position, buffer, 0, length);
                }
                else
                {
                    MemorySegment.copy(buffer, 0, memory, position, length);
                }
                position += length;
                budget -= length;
            }
            return position - offsetBytes;
        }
    }
}
