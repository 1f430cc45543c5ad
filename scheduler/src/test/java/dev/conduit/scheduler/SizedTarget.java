package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

/** Test double: a target of a given size and alignment that no backend may actually read (for tests with {@link ManualBackend}). */
record SizedTarget(String name, long sizeBytes, int alignment) implements DeviceTarget
{

    @Override
    public long readv(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        throw new AssertionError("SizedTarget is not readable");
    }

    @Override
    public long writev(final MemorySegment iov, final int iovCount, final long offsetBytes)
    {
        throw new AssertionError("SizedTarget is not writable");
    }
}
