package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.IovecDescriptor;

import java.lang.foreign.MemorySegment;

/**
 * Checks on what callers pass to {@code IoUring.tryPrep...}, done before a slot is claimed so a bad
 * argument never leaves a half-written SQE. All are branch-only on the happy path (no allocation).
 */
final class RequestArguments
{
    private static final int MAX_BUFFER_INDEX = 0xFFFF;

    private RequestArguments()
    {
    }

    static long address(final MemorySegment buffer)
    {
        requireNative(buffer, "buffer");
        return buffer.address();
    }

    static int length(final MemorySegment buffer)
    {
        final long bytes = buffer.byteSize();
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("buffer larger than 2 GiB: " + bytes);
        }
        return (int)bytes;
    }

    static long iovecAddress(final MemorySegment iovecs, final int iovecCount)
    {
        requireNative(iovecs, "iovecs");
        if (iovecCount < 1 || iovecCount * IovecDescriptor.LENGTH > iovecs.byteSize())
        {
            throw new IllegalArgumentException(
                "iovecCount " + iovecCount + " does not fit an iovec array of " + iovecs.byteSize() + " bytes");
        }
        return iovecs.address();
    }

    static int bufferIndex(final int bufferIndex)
    {
        if (bufferIndex < 0 || bufferIndex > MAX_BUFFER_INDEX)
        {
            throw new IllegalArgumentException("bufferIndex out of range: " + bufferIndex);
        }
        return bufferIndex;
    }

    static int sqeFlags(final int sqeFlags)
    {
        if ((sqeFlags & ~IoUring.SUPPORTED_SQE_FLAGS) != 0)
        {
            throw new IllegalArgumentException("unsupported SQE flags 0x" + Integer.toHexString(sqeFlags));
        }
        return sqeFlags;
    }

    static void requireNative(final MemorySegment segment, final String what)
    {
        // A heap segment's address() is an offset into its array: the kernel would use it as a pointer.
        if (!segment.isNative())
        {
            throw new IllegalArgumentException(what + " must be a native segment: " + segment);
        }
    }
}
