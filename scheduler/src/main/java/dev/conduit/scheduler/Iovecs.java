package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Helpers for {@code struct iovec} arrays (16 bytes per entry: base at 0, length at 8), used to continue short transfers. */
final class Iovecs
{
    private static final long ENTRY_BYTES = 16;

    private Iovecs()
    {
    }

    /**
     * Drops {@code bytes} from the front of an iovec array in place: whole entries are shifted out,
     * a partly transferred entry is trimmed. Allocates nothing.
     *
     * @param iov   the array.
     * @param count entries in use.
     * @param bytes bytes already transferred, less than the total.
     * @return the new number of entries.
     */
    static int consume(final MemorySegment iov, final int count, final long bytes)
    {
        long left = bytes;
        int skip = 0;
        while (skip < count && left >= iov.get(JAVA_LONG, skip * ENTRY_BYTES + 8))
        {
            left -= iov.get(JAVA_LONG, skip * ENTRY_BYTES + 8);
            skip++;
        }
        if (skip > 0)
        {
            MemorySegment.copy(iov, skip * ENTRY_BYTES, iov, 0, (count - skip) * ENTRY_BYTES);
        }
        if (left > 0)
        {
            iov.set(JAVA_LONG, 0, iov.get(JAVA_LONG, 0) + left);
            iov.set(JAVA_LONG, 8, iov.get(JAVA_LONG, 8) - left);
        }
        return count - skip;
    }
}
